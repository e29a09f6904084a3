import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DEFAULT_OUTBOX_TABLE } from '@kafka-streamer/core';
import type { Knex } from 'knex';
import { brokers } from './kafka.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built CLI: `npm run build` must have run, as for any use of the bin. */
const RELAY_BIN = join(ROOT, 'packages', 'relay', 'dist', 'cli', 'main.js');

export interface ProcessDrainResult {
  readonly rows: number;
  /** Rows published (deleted from the outbox) when the drain ended. */
  readonly drained: number;
  /** From the first relay's "relay starting" log line to an empty outbox or the time limit. */
  readonly ms: number;
  /** drained / ms, in messages per second. */
  readonly rate: number;
  readonly finished: boolean;
  /** Highest VmRSS seen per relay process, in MB. */
  readonly peakRssMb: number[];
}

/** Resident set size of a process in MB, from /proc/<pid>/status (Linux only). */
export function rssMb(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

interface RelayChild {
  readonly child: ChildProcess;
  readonly started: Promise<number>;
  peakRssMb: number;
}

function spawnRelay(databaseUrl: string, index: number, extraArgs: readonly string[]): RelayChild {
  const args = [RELAY_BIN, 'run', '--database-url', databaseUrl, '--brokers', brokers().join(','), '--log-level', 'info', ...extraArgs];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, KAFKA_STREAMER_RELAY_ID: `bench-${index}` } });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });

  const started = new Promise<number>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line.includes('"relay starting"')) resolve(performance.now());
    });
    child.once('exit', (code) => reject(new Error(`relay process ${index} exited with ${code} before it started`)));
  });
  started.catch(() => {});
  return { child, started, peakRssMb: 0 };
}

async function outboxEmpty(knex: Knex): Promise<boolean> {
  const rows = await knex(DEFAULT_OUTBOX_TABLE).select('id').orderBy('id').limit(1);
  return rows.length === 0;
}

async function stopRelay(relay: RelayChild): Promise<void> {
  if (relay.child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => relay.child.once('exit', () => resolve()));
  relay.child.kill('SIGTERM');
  await exited;
}

async function remainingRows(knex: Knex): Promise<number> {
  const [row] = await knex(DEFAULT_OUTBOX_TABLE).count({ n: '*' });
  return Number(row?.n ?? 0);
}

/**
 * Runs `count` relay CLI processes (with `extraArgs`) on the database until its
 * outbox is empty or `timeoutMs` passed, sampling each one's VmRSS every 200 ms,
 * then stops them with SIGTERM.
 */
export async function drainWithProcesses(
  knex: Knex,
  databaseUrl: string,
  rows: number,
  count: number,
  timeoutMs: number,
  extraArgs: readonly string[] = [],
): Promise<ProcessDrainResult> {
  const relays = Array.from({ length: count }, (_, index) => spawnRelay(databaseUrl, index, extraArgs));
  const sampler = setInterval(() => {
    for (const relay of relays) relay.peakRssMb = Math.max(relay.peakRssMb, rssMb(relay.child.pid as number) ?? 0);
  }, 200);

  try {
    const start = Math.min(...(await Promise.all(relays.map((relay) => relay.started))));
    let finished = false;
    while (performance.now() - start < timeoutMs) {
      if (await outboxEmpty(knex)) {
        finished = true;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, rows > 50_000 ? 250 : 20));
    }
    const ms = performance.now() - start;
    const drained = finished ? rows : rows - (await remainingRows(knex));
    return { rows, drained, ms, rate: (drained / ms) * 1000, finished, peakRssMb: relays.map((relay) => Math.round(relay.peakRssMb)) };
  } finally {
    clearInterval(sampler);
    await Promise.all(relays.map(stopRelay));
  }
}
