import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
// Node itself runs the child, with tsx as a loader: the tsx CLI would run it in a
// grandchild that a SIGKILL of the CLI does not reach.
const NODE_ARGS = ['--import', 'tsx'];

export interface ChildEvent {
  readonly event: string;
  readonly at: number;
  readonly ids?: string[];
  readonly message?: string;
}

/** A relay running in a child process (test/support/relay-child.ts), with its event lines. */
export class RelayChild {
  readonly events: ChildEvent[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly process: ChildProcess;
  private readonly listeners = new Set<() => void>();

  constructor(config: Record<string, unknown>) {
    this.process = spawn(process.execPath, [...NODE_ARGS, join(HERE, 'relay-child.ts')], {
      env: { ...process.env, RELAY_CHILD_CONFIG: JSON.stringify(config) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    createInterface({ input: this.process.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      try {
        this.events.push(JSON.parse(line) as ChildEvent);
      } catch {
        return;
      }
      for (const listener of this.listeners) listener();
    });
    this.exited = new Promise((resolve) => {
      this.process.once('exit', (code, signal) => resolve({ code, signal }));
    });
  }

  get pid(): number {
    return this.process.pid as number;
  }

  /** Resolves with the first event named `name`, waiting up to `timeoutMs`. */
  waitForEvent(name: string, timeoutMs = 30_000): Promise<ChildEvent> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.events.find((event) => event.event === name);
        if (found === undefined) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`relay child sent no ${name} event within ${timeoutMs} ms`));
      }, timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  kill(signal: NodeJS.Signals): void {
    this.process.kill(signal);
  }
}
