import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateOutbox } from '@kafka-streamer/core';
import { ALL_DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';

describe.each(ALL_DIALECTS)('knex smoke on %s', (dialect) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase(dialect, 'ks_smoke');
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('round-trips a row', async () => {
    await db.knex.schema.createTable('widgets', (t) => {
      t.increments('id');
      t.string('name');
    });
    await db.knex('widgets').insert({ name: 'crank' });

    const rows = await db.knex('widgets').select('name');

    expect(rows).toEqual([{ name: 'crank' }]);
  });

  it('migrates the outbox', async () => {
    const applied = await migrateOutbox(db.knex);

    expect(applied).toEqual([
      '20261204000000_create_kafka_streamer_outbox',
      '20261204000001_index_kafka_streamer_outbox_blocking_rows',
    ]);
    expect(await db.knex.schema.hasTable('kafka_streamer_outbox')).toBe(true);
  });
});
