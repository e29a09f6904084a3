import type { BenchSettings } from '../lib/args.js';
import { fillOutbox } from '../lib/backlog.js';
import { benchTopic } from '../lib/kafka.js';
import { drainWithProcesses } from '../lib/relay-process.js';
import { createTestDatabase } from '../../test/support/databases.js';

export interface RelaysMeasure {
  readonly rows: number;
  readonly oneRate: number;
  readonly twoRate: number;
  readonly relays2Vs1: number;
}

async function drainWith(count: number, settings: BenchSettings): Promise<number> {
  const db = await createTestDatabase('postgres', 'ks_bench_relays');
  try {
    const topic = await benchTopic(`relays-${count}`);
    await fillOutbox(db.knex, { topic, rows: settings.relaysRows, keys: settings.keys, payloadBytes: settings.payloadBytes });
    const result = await drainWithProcesses(db.knex, db.url, settings.relaysRows, count, settings.drainTimeoutMs);
    if (!result.finished) throw new Error(`${count} relay process(es) did not drain ${settings.relaysRows} rows in time`);
    return result.rate;
  } finally {
    await db.destroy();
  }
}

/** Throughput of one relay CLI process against two on the same backlog. */
export async function measureRelays(settings: BenchSettings, log: (line: string) => void): Promise<RelaysMeasure> {
  const oneRate = await drainWith(1, settings);
  log(`1 relay: ${Math.round(oneRate)} msg/s`);
  const twoRate = await drainWith(2, settings);
  log(`2 relays: ${Math.round(twoRate)} msg/s`);
  return { rows: settings.relaysRows, oneRate, twoRate, relays2Vs1: twoRate / oneRate };
}
