import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The relay CLI as built by `tsc -b`. */
export const RELAY_CLI = join(ROOT, 'packages', 'relay', 'dist', 'cli', 'main.js');

// Relays still running when the suite's process exits (an error or Ctrl-C) are killed, so none outlives the run.
const liveChildren = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

/** Relay settings shared by every relay of a scenario. */
export interface RelaySettings {
  readonly databaseUrl: string;
  readonly brokers: readonly string[];
  readonly takeoverMs: number;
  readonly pollIntervalMs: number;
  readonly batchSize: number;
  readonly shutdownGraceMs: number;
  readonly maxAttempts: number;
  readonly requestTimeoutMs: number;
}

export interface RelayExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Time of the exit, from Date.now(). */
  readonly at: number;
}

/** One `kafka-streamer-relay run` child process; its output goes to a log file. */
export class RelayProcess {
  readonly exited: Promise<RelayExit>;
  readonly startedAt = Date.now();
  maxRssKb = 0;
  /** Set when the suite sends the signal, so that an exit without one can be recognized. */
  signalled = false;
  private readonly child: ChildProcess;
  private readonly log: WriteStream;

  constructor(
    readonly relayId: string,
    settings: RelaySettings,
    logFile: string,
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
    const args = [
      RELAY_CLI,
      'run',
      '--database-url',
      settings.databaseUrl,
      '--brokers',
      settings.brokers.join(','),
      '--relay-id',
      relayId,
      '--client-id',
      relayId,
      '--takeover-time',
      String(settings.takeoverMs),
      '--poll-interval',
      String(settings.pollIntervalMs),
      '--batch-size',
      String(settings.batchSize),
      '--shutdown-grace',
      String(settings.shutdownGraceMs),
      '--max-attempts',
      String(settings.maxAttempts),
      '--retry-initial-delay',
      '200',
      '--retry-max-delay',
      '2000',
      '--connection-timeout',
      '2000',
      '--request-timeout',
      String(settings.requestTimeoutMs),
      '--status-interval',
      '60000',
      '--log-level',
      process.env.KS_FAULTS_RELAY_LOG_LEVEL ?? 'warn',
    ];
    this.child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KAFKA_BROKERS: '' } });
    this.child.stdout?.pipe(this.log, { end: false });
    this.child.stderr?.pipe(this.log, { end: false });
    liveChildren.add(this.child);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        liveChildren.delete(this.child);
        resolve({ code, signal, at: Date.now() });
      });
    });
  }

  get pid(): number {
    return this.child.pid as number;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  signal(name: NodeJS.Signals): void {
    this.signalled = true;
    if (this.alive) this.child.kill(name);
  }

  /** Reads VmRSS from /proc and keeps the maximum, in KiB. */
  sampleRss(): void {
    if (!this.alive) return;
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      if (match) this.maxRssKb = Math.max(this.maxRssKb, Number(match[1]));
    } catch {
      // The process exited between the check and the read.
    }
  }

  async close(): Promise<void> {
    await this.exited;
    await new Promise<void>((resolve) => this.log.end(() => resolve()));
  }
}

/** A relay that exited without a signal from the suite. */
export interface UnexpectedExit {
  readonly relayId: string;
  readonly code: number | null;
  /** Time from the start of the process to its exit, in ms. */
  readonly afterMs: number;
}

/**
 * The relays of one scenario: starts, kills and restarts them, and samples their
 * memory. Like a process supervisor, it restarts a relay that exits on its own
 * after 1 s, and records the exit.
 */
export class RelayFleet {
  readonly all: RelayProcess[] = [];
  readonly unexpectedExits: UnexpectedExit[] = [];
  private generation = 0;
  private closing = false;
  private readonly sampler: NodeJS.Timeout;

  constructor(
    private readonly settings: RelaySettings,
    private readonly logFile: string,
    private readonly name: string,
  ) {
    this.sampler = setInterval(() => {
      for (const relay of this.running()) relay.sampleRss();
    }, 250);
  }

  running(): RelayProcess[] {
    return this.all.filter((relay) => relay.alive);
  }

  start(): RelayProcess {
    this.generation += 1;
    const relay = new RelayProcess(`${this.name}-r${this.generation}`, this.settings, this.logFile);
    this.all.push(relay);
    void relay.exited.then(async (exit) => {
      if (relay.signalled || this.closing) return;
      this.unexpectedExits.push({ relayId: relay.relayId, code: exit.code, afterMs: exit.at - relay.startedAt });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      if (!this.closing) this.start();
    });
    return relay;
  }

  /** Sends SIGKILL and resolves once the process is gone. */
  async kill(relay: RelayProcess): Promise<void> {
    relay.sampleRss();
    relay.signal('SIGKILL');
    await relay.exited;
  }

  /** Sends SIGTERM to every running relay and returns each exit with the time it took, in ms. */
  async terminateAll(): Promise<{ relay: RelayProcess; exit: RelayExit; elapsedMs: number }[]> {
    const relays = this.running();
    const sentAt = Date.now();
    for (const relay of relays) relay.signal('SIGTERM');
    return Promise.all(
      relays.map(async (relay) => {
        const exit = await relay.exited;
        return { relay, exit, elapsedMs: exit.at - sentAt };
      }),
    );
  }

  maxRssKb(): number {
    return Math.max(0, ...this.all.map((relay) => relay.maxRssKb));
  }

  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.sampler);
    for (const relay of this.running()) relay.signal('SIGKILL');
    await Promise.all(this.all.map((relay) => relay.close()));
  }
}
