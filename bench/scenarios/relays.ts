import type { BenchSettings } from '../lib/args.js';
import { fillOutbox } from '../lib/backlog.js';
import { benchTopic } from '../lib/kafka.js';
import { drainWithProcesses, type ProcessDrainResult } from '../lib/relay-process.js';
import { createTestDatabase } from '../../test/support/databases.js';
import { relayArgs } from './scale.js';

export interface RelaysMeasure {
  readonly rows: number;
  readonly oneRate: number;
  readonly twoRate: number;
  /** False when a drain hit the time limit; its rate then covers the rows it published. */
  readonly finished: boolean;
  readonly relays2Vs1: number;
}

async function drainWith(count: number, settings: BenchSettings): Promise<ProcessDrainResult> {
  const db = await createTestDatabase('postgres', 'ks_bench_relays');
  try {
    const topic = await benchTopic(`relays-${count}`);
    await fillOutbox(db.knex, { topic, rows: settings.relaysRows, keys: settings.keys, payloadBytes: settings.payloadBytes });
    const result = await drainWithProcesses(db.knex, db.url, settings.relaysRows, count, settings.processDrainMs, relayArgs(settings));
    return result;
  } finally {
    await db.destroy();
  }
}

/** Throughput of one relay CLI process against two on the same backlog, each drain bounded by the time limit. */
export async function measureRelays(settings: BenchSettings, log: (line: string) => void): Promise<RelaysMeasure> {
  const one = await drainWith(1, settings);
  log(`1 relay: ${Math.round(one.rate)} msg/s, ${one.drained} of ${one.rows} rows`);
  const two = await drainWith(2, settings);
  log(`2 relays: ${Math.round(two.rate)} msg/s, ${two.drained} of ${two.rows} rows`);
  return { rows: settings.relaysRows, oneRate: one.rate, twoRate: two.rate, finished: one.finished && two.finished, relays2Vs1: two.rate / one.rate };
}
