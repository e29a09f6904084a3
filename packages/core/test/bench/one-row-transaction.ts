// Measures a one-row business transaction on PostgreSQL with and without
// streamInTx. Run: npx tsx packages/core/test/bench/one-row-transaction.ts [rounds]
import { createRegistry, migrateOutbox } from '../../src/index.js';
import { createTestDatabase } from '../../../../test/support/databases.js';

class Widget {
  static tableName = 'widgets';
  id?: unknown;
}

const rounds = Number(process.argv[2] ?? 2000);

async function main(): Promise<void> {
  const db = await createTestDatabase('postgres', 'ks_bench');
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

    const plain = () => db.knex.transaction((trx) => trx('widgets').insert({ name: 'crank', price: '9.99' }).returning('*'));
    const streamed = () =>
      db.knex.transaction(async (trx) => {
        const [row] = await trx('widgets').insert({ name: 'crank', price: '9.99' }).returning('*');
        await registry.streamCreate(trx, row, { model: Widget });
      });

    for (let i = 0; i < 200; i++) {
      await plain();
      await streamed();
    }

    const times = { plain: [] as number[], streamed: [] as number[] };
    for (let i = 0; i < rounds; i++) {
      for (const [name, run] of i % 2 === 0 ? ([['plain', plain], ['streamed', streamed]] as const) : ([['streamed', streamed], ['plain', plain]] as const)) {
        const start = process.hrtime.bigint();
        await run();
        times[name].push(Number(process.hrtime.bigint() - start) / 1e6);
      }
    }

    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
    const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
    const report = {
      rounds,
      plainMedianMs: median(times.plain).toFixed(3),
      streamedMedianMs: median(times.streamed).toFixed(3),
      plainMeanMs: mean(times.plain).toFixed(3),
      streamedMeanMs: mean(times.streamed).toFixed(3),
      medianRatio: (median(times.streamed) / median(times.plain)).toFixed(2),
      meanRatio: (mean(times.streamed) / mean(times.plain)).toFixed(2),
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await db.destroy();
  }
}

await main();
