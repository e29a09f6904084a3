import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MODULE = fileURLToPath(new URL('../../dist/cli/startup-signals.js', import.meta.url));

/** Starts a process that installs the start-up handlers for `args`, waits until it is ready, and sends SIGTERM. */
function signalDuringStartup(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  const script = `import { exitOnStartupSignals } from ${JSON.stringify(MODULE)};
    exitOnStartupSignals(['node', 'kafka-streamer-relay', ...${JSON.stringify(args)}]);
    process.stdout.write('ready\\n');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });

  let stdout = '';
  return new Promise((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.startsWith('ready\n') && !child.killed) child.kill('SIGTERM');
    });
    child.on('exit', (code, signal) => resolve({ code, signal, stdout }));
  });
}

describe('signals while the CLI loads', () => {
  it('exit 0 for run', async () => {
    const result = await signalDuringStartup(['run', '--brokers', 'x']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"msg":"SIGTERM received during start-up; exiting"');
  });

  it('exit 0 without a command', async () => {
    const result = await signalDuringStartup(['--brokers', 'x']);
    expect(result.code).toBe(0);
  });

  it('keep the default for migrate', async () => {
    const result = await signalDuringStartup(['migrate']);
    expect(result.signal).toBe('SIGTERM');
  });
});
