import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { POSTGRES_URL } from './support/databases.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DEMO = join(ROOT, 'examples', 'shop', 'demo.ts');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const RUN_TIMEOUT_MS = 240_000;

interface DemoRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the demo as `npm run demo` does (packages already built) and collects its output. */
function runDemo(args: readonly string[]): Promise<DemoRun> {
  return new Promise((resolve) => {
    execFile(TSX, [DEMO, ...args], { cwd: ROOT, timeout: RUN_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      let code: number | null = null;
      if (error === null) code = 0;
      else if (typeof error.code === 'number') code = error.code;
      resolve({ code, stdout, stderr });
    });
  });
}

function explain(run: DemoRun): string {
  return `exit code ${run.code}\n--- stdout (end)\n${run.stdout.slice(-4000)}\n--- stderr (end)\n${run.stderr.slice(-4000)}`;
}

describe('shop demo', () => {
  it(
    'verifies 500 changes on PostgreSQL',
    async () => {
      const run = await runDemo(['--db', POSTGRES_URL, '--changes', '500', '--concurrency', '6', '--samples', '1']);

      expect(run.code, explain(run)).toBe(0);
      expect(run.stdout).toMatch(/^VERIFIED: \d+ committed changes arrived/m);
      expect(run.stdout).toMatch(/^messages: \d+, duplicates/m);
      expect(run.stdout).not.toMatch(/^FAILED/m);
    },
    RUN_TIMEOUT_MS + 10_000,
  );

  it(
    'verifies 200 changes on SQLite',
    async () => {
      const run = await runDemo(['--changes', '200', '--concurrency', '4', '--samples', '0']);

      expect(run.code, explain(run)).toBe(0);
      expect(run.stdout).toMatch(/^VERIFIED: \d+ committed changes arrived/m);
      expect(run.stdout).toMatch(/sqlite database/);
    },
    RUN_TIMEOUT_MS + 10_000,
  );

  it('type-checks the example', async () => {
    // tsx strips types without checking them, so the runs above would not catch a type error.
    const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
    const result = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(tsc, ['-p', join(ROOT, 'examples', 'shop')], { cwd: ROOT }, (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : 1, output: stdout + stderr });
      });
    });

    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  }, 180_000);

  it('rejects an invalid option with exit code 2', async () => {
    const run = await runDemo(['--changes', 'many']);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('invalid --changes "many"');
  });
});
