import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Batch, createRegistry, migrateOutbox, type Registry, type Row, Streamer } from '../src/index.js';
import { createExampleTables, instance, MyModel } from './support/models.js';
import {
  ALL_DIALECTS,
  clearOutbox,
  createOutboxDatabase,
  freezeTime,
  outboxRows,
  payloads,
  type TestDatabase,
} from './support/outbox.js';

const T = '"_time": "2023-01-01T00:00:00Z"';
const row1 = { id: 1, field1: 1, field2: 'abc', other_id: null };
const row3 = { id: 3, field1: 5, field2: 'xyz', other_id: null };

class Thing {
  static tableName = 'things';
  code?: string;
}

describe.each(ALL_DIALECTS)('streamer options on %s', (dialect) => {
  let db: TestDatabase;
  let registry: Registry;

  beforeAll(async () => {
    db = await createOutboxDatabase(dialect, 'ks_options');
    await createExampleTables(db.knex);
    await db.knex.schema.createTable('things', (t) => {
      t.string('code', 36).primary();
      t.string('label', 20);
    });
    await migrateOutbox(db.knex, { table: 'custom_outbox' });
  });

  afterAll(async () => {
    await db?.destroy();
  });

  beforeEach(async () => {
    freezeTime();
    registry = createRegistry();
    await clearOutbox(db.knex);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('uses the key serializer and partitioner', async () => {
    registry.register(MyModel, {
      topic: 'my-topic',
      keySerializer: ({ id, type }) => `${type}-${String(id)}`,
      partitioner: ({ id }) => (id === 3 ? 7 : undefined),
      partition: 1,
    });

    await db.knex.transaction((trx) => registry.streamUpdate(trx, [row1, row3], { model: MyModel }));

    const rows = await outboxRows(db.knex);
    expect(rows.map((r) => [r.message_key, r.kafka_partition])).toEqual([
      ['update-1', 1],
      ['update-3', 7],
    ]);
  });

  it('gives an object without an id a null key', async () => {
    registry.register(Thing, { topic: 'things', idField: 'code' });

    await db.knex.transaction((trx) => registry.streamUpdate(trx, { code: null, label: 'x' }, { model: Thing }));

    const [row] = await outboxRows(db.knex);
    expect(row?.message_key).toBeNull();
    expect(row?.payload).toBe(`{${T}, "_type": "update", "code": null, "label": "x", "id": null}`);
  });

  it('rejects an invalid partition', async () => {
    registry.register(MyModel, { topic: 'my-topic', partitioner: () => -1 });

    const error = await db.knex.transaction((trx) => registry.streamUpdate(trx, row1, { model: MyModel }).catch((e: unknown) => e));

    expect(String(error)).toContain('the partitioner returned -1');
    expect(await outboxRows(db.knex)).toEqual([]);
  });

  it('uses a custom serializer', async () => {
    registry.register(MyModel, { topic: 'my-topic', serializer: (body) => `keys=${[...body.keys()].join(',')}` });

    await db.knex.transaction((trx) => registry.streamUpdate(trx, row1, { model: MyModel }));

    expect(await payloads(db.knex)).toEqual(['keys=_time,_type,id,field1,field2,other_id']);
  });

  it('writes compact JSON on request', async () => {
    registry.register(MyModel, { topic: 'my-topic', compact: true });

    await db.knex.transaction(async (trx) => {
      await registry.streamUpdate(trx, row1, { model: MyModel });
      await registry.streamUpdate(trx, row1, { model: MyModel, compact: false });
    });

    expect(await payloads(db.knex)).toEqual([
      '{"_time":"2023-01-01T00:00:00Z","_type":"update","id":1,"field1":1,"field2":"abc","other_id":null}',
      `{${T}, "_type": "update", "id": 1, "field1": 1, "field2": "abc", "other_id": null}`,
    ]);
  });

  it('uses idField for the key and id', async () => {
    registry.register(Thing, { topic: 'things', idField: 'code' });

    await db.knex.transaction(async (trx) => {
      await registry.streamUpdate(trx, { code: 'c0ffee00-0000-4000-8000-000000000001', label: 'x' }, { model: Thing });
      await registry.streamDeleteIds(trx, Thing, ['c0ffee00-0000-4000-8000-000000000002']);
    });

    const rows = await outboxRows(db.knex);
    expect(rows.map((r) => r.message_key)).toEqual([
      'c0ffee00-0000-4000-8000-000000000001',
      'c0ffee00-0000-4000-8000-000000000002',
    ]);
    expect(rows[0]?.payload).toBe(
      `{${T}, "_type": "update", "code": "c0ffee00-0000-4000-8000-000000000001", "label": "x", "id": "c0ffee00-0000-4000-8000-000000000001"}`,
    );
  });

  it('calls load methods, the batch preload and the streamer preload', async () => {
    const calls: string[] = [];
    class TotalsBatch extends Batch<Row> {
      totals = new Map<unknown, number>();
      override async preload() {
        calls.push(`batch:${this.objects.length}`);
        for (const obj of this.objects) this.totals.set(obj.id, (obj.field1 as number) * 100);
      }
    }
    class MyModelStreamer extends Streamer<Row> {
      override topic = 'my-topic';
      override include = ['field1_plus_one', 'total'];
      override exclude = ['field2', 'other_id'];
      override batchClass = TotalsBatch;
      override batchSize = 1;

      loadField1PlusOne(obj: Row) {
        return (obj.field1 as number) + 1;
      }

      loadTotal(obj: Row, batch: Batch<Row>) {
        return (batch as TotalsBatch).totals.get(obj.id);
      }

      // A column override: Python's load_<field> for an existing field.
      loadField1(obj: Row) {
        return (obj.field1 as number) * 10;
      }

      override async preload(batch: Batch<Row>) {
        calls.push(`streamer:${batch.objects.length}`);
      }
    }
    registry.register(MyModel, MyModelStreamer);

    await db.knex.transaction((trx) => registry.streamUpdate(trx, [row1, row3], { model: MyModel }));

    expect(await payloads(db.knex)).toEqual([
      `{${T}, "_type": "update", "id": 1, "field1": 10, "field1_plus_one": 2, "total": 100}`,
      `{${T}, "_type": "update", "id": 3, "field1": 50, "field1_plus_one": 6, "total": 500}`,
    ]);
    expect(calls).toEqual(['batch:1', 'streamer:1', 'batch:1', 'streamer:1']);
  });

  it('lets register options override the streamer class', async () => {
    class MyModelStreamer extends Streamer {
      override topic = 'class-topic';
      override exclude = ['field2'];
    }
    registry.register(MyModel, MyModelStreamer, { topic: 'option-topic' });

    await db.knex.transaction((trx) => registry.streamUpdate(trx, instance(MyModel, row1)));

    const [row] = await outboxRows(db.knex);
    expect(row?.topic).toBe('option-topic');
    expect(row?.payload).toBe(`{${T}, "_type": "update", "id": 1, "field1": 1, "other_id": null}`);
  });

  it('writes to another outbox table', async () => {
    registry.register(MyModel, { topic: 'my-topic' });

    await db.knex.transaction((trx) =>
      registry.streamUpdate(trx, instance(MyModel, row1), { outbox: { table: 'custom_outbox' } }),
    );

    expect(await outboxRows(db.knex)).toEqual([]);
    expect(await payloads(db.knex, 'custom_outbox')).toHaveLength(1);
  });

  it.runIf(dialect === 'postgres')('writes to an outbox in another schema', async () => {
    registry.register(MyModel, { topic: 'my-topic' });
    await migrateOutbox(db.knex, { schema: 'events' });

    await db.knex.transaction((trx) =>
      registry.streamUpdate(trx, instance(MyModel, row1), { outbox: { schema: 'events' } }),
    );

    expect(await payloads(db.knex, 'events.kafka_streamer_outbox')).toHaveLength(1);
  });

  it('rejects reserved header names', async () => {
    registry.register(MyModel, { topic: 'my-topic' });

    const error = await db.knex.transaction((trx) =>
      registry.streamUpdate(trx, instance(MyModel, row1), { headers: { 'message-id': 'x' } }).catch((e: unknown) => e),
    );

    expect(String(error)).toContain('header "message-id" is set by kafka-streamer');
  });

  it('splits a large call only at the bound-parameter limit', async () => {
    registry.register(MyModel, { topic: 'my-topic', exclude: ['field2', 'other_id'] });
    const rows = Array.from({ length: 5000 }, (_, i) => ({ ...row1, id: i + 1 }));

    const inserts: string[] = [];
    const listener = (query: { sql: string }) => {
      if (/^insert/i.test(query.sql)) inserts.push(query.sql);
    };
    db.knex.on('query', listener);
    const ids = await db.knex.transaction((trx) => registry.streamUpdate(trx, rows, { model: MyModel }));
    db.knex.off('query', listener);

    // 7 parameters per row: 4679 rows fit SQLite's 32766 parameters, 9361 fit the others' 65535.
    expect(inserts).toHaveLength(dialect === 'sqlite' ? 2 : 1);
    expect(ids).toHaveLength(5000);
    expect(await db.knex('kafka_streamer_outbox').count({ n: '*' })).toEqual([{ n: dialect === 'postgres' ? '5000' : 5000 }]);
  });
});
