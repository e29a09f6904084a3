import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI; the integration tests run it as operators do, in its own process. */
export const CLI_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'dist', 'cli', 'main.js');

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Throws with the build command when the CLI was not built. */
export function requireBuiltCli(): void {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run \`npx tsc -b\` first`);
}

// A small fixed environment, so that KAFKA_STREAMER_* variables of the test runner never leak in.
function childEnv(extra: Record<string, string>): Record<string, string> {
  const base: Record<string, string> = { PATH: process.env.PATH ?? '' };
  if (process.env.HOME !== undefined) base.HOME = process.env.HOME;
  return { ...base, ...extra };
}

/** A running CLI process whose output is collected and searchable. */
export class CliProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<CliResult>;
  private readonly waiters = new Set<() => void>();

  constructor(args: readonly string[], env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, [CLI_PATH, ...args], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (chunk: Buffer) => this.append('stdout', chunk));
    this.child.stderr?.on('data', (chunk: Buffer) => this.append('stderr', chunk));
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        this.notify();
        resolve({ code, signal, stdout: this.stdout, stderr: this.stderr });
      });
    });
  }

  private append(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    this[stream] += chunk.toString('utf8');
    this.notify();
  }

  private notify(): void {
    for (const waiter of this.waiters) waiter();
  }

  /** JSON log lines written to stdout so far. */
  logLines(): Record<string, unknown>[] {
    return this.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  /** Waits for a log line with this `msg`; fails with the output when the process exits or time runs out. */
  async waitForLog(msg: string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
    const find = () => this.logLines().find((line) => line.msg === msg);
    let exited = false;
    void this.exited.then(() => {
      exited = true;
    });

    return new Promise((resolve, reject) => {
      const check = () => {
        const line = find();
        if (line !== undefined) return finish(() => resolve(line));
        if (exited || this.child.exitCode !== null) {
          return finish(() => reject(new Error(`CLI exited before logging "${msg}":\n${this.stdout}\n${this.stderr}`)));
        }
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`no "${msg}" within ${timeoutMs} ms:\n${this.stdout}\n${this.stderr}`))), timeoutMs);
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        settle();
      };
      this.waiters.add(check);
      check();
    });
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}

/** Runs the CLI to completion. */
export async function runCliProcess(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new CliProcess(args, env).exited;
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}${last === undefined ? '' : `: ${String(last)}`}`);
}
