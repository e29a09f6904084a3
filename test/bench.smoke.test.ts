import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const execFileAsync = promisify(execFile);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const LATEST = join(ROOT, 'bench', 'results', 'latest.json');

// Checks that the harness runs end to end on tiny sizes. It asserts no speed: the
// numbers of a smoke run mean nothing.
describe('bench harness', () => {
  it('smoke run prints every measure', { timeout: 240_000 }, async () => {
    const latestBefore = existsSync(LATEST) ? statSync(LATEST).mtimeMs : undefined;
    const dir = mkdtempSync(join(tmpdir(), 'ks-bench-smoke-'));
    const output = join(dir, 'smoke.json');

    try {
      const { stdout } = await execFileAsync(
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'bench', 'run.ts'), '--smoke', '--output', output],
        { cwd: ROOT, env: process.env, maxBuffer: 16 * 2 ** 20 },
      );

      for (const measure of ['relay / client', 'relay / peer', 'streamInTx', 'latency p50', 'RSS', 'claim plan', '2 relays']) {
        expect(stdout).toContain(measure);
      }
      expect(stdout).not.toContain('not run');

      const results = JSON.parse(readFileSync(output, 'utf8'));
      expect(results.failures).toEqual([]);
      for (const field of ['relayVsClient', 'relayVsPeer', 'streamOverheadP50', 'latencyP50Ms', 'latencyP99Ms', 'backlogRateRatio', 'relayRssMb', 'relays2Vs1']) {
        expect(typeof results[field], field).toBe('number');
      }
      expect(results.machine.cores).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const latestAfter = existsSync(LATEST) ? statSync(LATEST).mtimeMs : undefined;
    expect(latestAfter).toBe(latestBefore);
  });
});
