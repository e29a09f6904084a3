import { createRegistry, migrateOutbox, type Registry } from '@kafka-streamer/core';
import type { Knex } from 'knex';
import type { BenchSettings } from '../lib/args.js';
import { quantile } from '../lib/stats.js';
import { createTestDatabase } from '../../test/support/databases.js';

class Widget {
  static tableName = 'widgets';
  id?: unknown;
}

export interface OverheadCase {
  readonly objects: number;
  readonly plainP50Ms: number;
  readonly streamedP50Ms: number;
  /** streamed p50 / plain p50. */
  readonly p50Ratio: number;
}

export interface OverheadMeasure {
  readonly rounds: number;
  readonly cases: OverheadCase[];
  /** p50 ratio of the one-row case. */
  readonly streamOverheadP50: number;
  readonly streamOverheadP50TenObjects: number;
}

function widgetRows(count: number): object[] {
  return Array.from({ length: count }, (_, index) => ({ name: `crank-${index}`, price: '9.99' }));
}

function transactions(knex: Knex, registry: Registry, objects: number) {
  const plain = () => knex.transaction((trx) => trx('widgets').insert(widgetRows(objects)).returning('*'));
  const streamed = () =>
    knex.transaction(async (trx) => {
      const rows = await trx('widgets').insert(widgetRows(objects)).returning('*');
      await registry.streamCreate(trx, rows, { model: Widget });
    });
  return { plain, streamed };
}

/**
 * Times `rounds` transactions of each variant, alternating their order every round
 * so that drifts of the shared machine hit both alike. Returns the times in ms.
 */
async function timeVariants(run: { plain: () => Promise<unknown>; streamed: () => Promise<unknown> }, rounds: number) {
  const warmUp = Math.min(200, rounds);
  for (let i = 0; i < warmUp; i++) {
    await run.plain();
    await run.streamed();
  }

  const times = { plain: [] as number[], streamed: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 === 0 ? (['plain', 'streamed'] as const) : (['streamed', 'plain'] as const);
    for (const name of order) {
      const start = performance.now();
      await run[name]();
      times[name].push(performance.now() - start);
    }
  }
  return times;
}

/** streamInTx overhead on PostgreSQL: a transaction inserting 1 and 10 business rows, with and without streaming them. */
export async function measureOverhead(settings: BenchSettings, log: (line: string) => void): Promise<OverheadMeasure> {
  const db = await createTestDatabase('postgres', 'ks_bench_overhead');
  try {
    await migrateOutbox(db.knex);
    await db.knex.schema.createTable('widgets', (t) => {
      t.increments('id');
      t.string('name', 50);
      t.decimal('price', 10, 2);
      t.timestamp('created_at', { useTz: true }).defaultTo(db.knex.fn.now());
    });
    const registry = createRegistry();
    registry.register(Widget, { topic: 'widgets' });

    const cases: OverheadCase[] = [];
    for (const objects of [1, 10]) {
      const times = await timeVariants(transactions(db.knex, registry, objects), settings.overheadRounds);
      const plainP50Ms = quantile(times.plain, 0.5);
      const streamedP50Ms = quantile(times.streamed, 0.5);
      cases.push({ objects, plainP50Ms, streamedP50Ms, p50Ratio: streamedP50Ms / plainP50Ms });
      log(`${objects} object(s): plain p50 ${plainP50Ms.toFixed(3)} ms, streamed p50 ${streamedP50Ms.toFixed(3)} ms`);
    }
    return {
      rounds: settings.overheadRounds,
      cases,
      streamOverheadP50: cases[0]?.p50Ratio as number,
      streamOverheadP50TenObjects: cases[1]?.p50Ratio as number,
    };
  } finally {
    await db.destroy();
  }
}
