import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Batch, createRegistry, type Registry } from '../src/index.js';
import { createExampleTables, MyModel, Other } from './support/models.js';
import {
  ALL_DIALECTS,
  clearOutbox,
  countQueries,
  createOutboxDatabase,
  freezeTime,
  outboxRows,
  payloads,
  type TestDatabase,
} from './support/outbox.js';

const T = '"_time": "2023-01-01T00:00:00Z"';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';

describe.each(ALL_DIALECTS)('fullRefresh on %s', (dialect) => {
  let db: TestDatabase;
  let registry: Registry;

  beforeAll(async () => {
    db = await createOutboxDatabase(dialect, 'ks_refresh');
    await createExampleTables(db.knex);
    await db.knex('others').insert({ id: 2, other_field: 3 });
    const rows = [1, 2, 3, 4, 5].map((id) => ({ id, field1: id, field2: `r${id}`, other_id: null }));
    await db.knex('my_models').insert(rows);
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

  it('chunks enumerate ids with a shared session', async () => {
    registry.register(MyModel, { topic: 'my-topic', exclude: ['field2', 'other_id'], enumerateChunkSize: 2 });

    const summary = await registry.fullRefresh(db.knex, MyModel);

    const all = await payloads(db.knex);
    expect(summary).toEqual([{ model: 'MyModel', topic: 'my-topic', objects: 5, messages: 8 }]);
    expect(all.slice(0, 5)).toEqual([1, 2, 3, 4, 5].map((id) => `{${T}, "_type": "refresh", "id": ${id}, "field1": ${id}}`));

    const chunk = (ids: string, index: number, first: number) =>
      new RegExp(`^\\{${T}, "_type": "enumerate", "ids": \\[${ids}\\], "chunk": \\{"index": ${index}, "count": 3, "session": "(${UUID})"\\}, "id": ${first}\\}$`);
    const sessions = [chunk('1, 2', 0, 1), chunk('3, 4', 1, 3), chunk('5', 2, 5)].map((pattern, i) => pattern.exec(all[5 + i] as string)?.[1]);
    expect(sessions[0]).toBeDefined();
    expect(new Set(sessions)).toEqual(new Set([sessions[0]]));
  });

  it('uses custom enumerate field names', async () => {
    registry.register(MyModel, {
      topic: 'my-topic',
      enumerateIdsField: 'keys',
      enumerateChunkField: 'part',
      enumerateChunkSize: 3,
    });

    await registry.fullRefresh(db.knex, MyModel);

    const all = await payloads(db.knex);
    expect(all).toHaveLength(7);
    expect(all[5]).toMatch(new RegExp(`^\\{${T}, "_type": "enumerate", "keys": \\[1, 2, 3\\], "part": \\{"index": 0, "count": 2, "session": "${UUID}"\\}, "id": 1\\}$`));
    expect(all[6]).toContain('"keys": [4, 5], "part": {"index": 1, "count": 2, ');
  });

  it('reads in batches ordered by id', async () => {
    registry.register(MyModel, { topic: 'my-topic', exclude: ['field2', 'other_id'], batchSize: 2 });

    const { queries } = await countQueries(db.knex, () => registry.fullRefresh(db.knex, MyModel));

    expect(queries.filter((sql) => /^select .* from [`"]my_models[`"]/i.test(sql))).toHaveLength(3);
    expect((await payloads(db.knex)).at(-1)).toBe(`{${T}, "_type": "enumerate", "ids": [1, 2, 3, 4, 5], "id": 1}`);
  });

  it('refreshes every registered model and can end with eos', async () => {
    registry.register(Other, { topic: 'others', staticFields: { app: 'shop' } });
    registry.register(MyModel, { topic: 'my-topic', exclude: ['field2', 'other_id'] });

    await registry.fullRefresh(db.knex, undefined, { finalize: 'eos' });

    const rows = await outboxRows(db.knex);
    expect(rows.map((r) => `${r.topic}:${r.message_type}:${r.message_key}`)).toEqual([
      'others:refresh:2',
      'others:eos:null',
      'my-topic:refresh:1',
      'my-topic:refresh:2',
      'my-topic:refresh:3',
      'my-topic:refresh:4',
      'my-topic:refresh:5',
      'my-topic:eos:null',
    ]);
    expect(rows[1]?.payload).toBe(`{${T}, "_type": "eos", "id": null}`);
  });

  it('enumerates an empty table with a null id', async () => {
    registry.register(MyModel, { topic: 'my-topic' });
    const empty = createRegistry();
    class Empty {
      static tableName = 'empty_things';
      id?: unknown;
    }
    await db.knex.schema.createTable('empty_things', (t) => t.increments('id'));
    empty.register(Empty, { topic: 'empty' });

    await empty.fullRefresh(db.knex);

    expect(await payloads(db.knex)).toEqual([`{${T}, "_type": "enumerate", "ids": [], "id": null}`]);
  });

  it('writes nothing when a batch fails', async () => {
    registry.register(MyModel, {
      topic: 'my-topic',
      batchSize: 2,
      computed: { boom: (obj) => ((obj as { id: number }).id === 5 ? Number.NaN : 1) },
      include: [],
    });

    await expect(registry.fullRefresh(db.knex, MyModel)).rejects.toMatchObject({ code: 'ERR_KS_UNSERIALIZABLE' });
    expect(await outboxRows(db.knex)).toEqual([]);
  });

  it.runIf(dialect !== 'sqlite')('reads one snapshot', async () => {
    const knex = db.knex;
    class InsertingBatch extends Batch {
      override async preload() {
        if ((this.objects[0] as { id: number }).id === 1) {
          await knex('my_models').insert({ id: 6, field1: 6, field2: 'late', other_id: null });
        }
      }
    }
    registry.register(MyModel, { topic: 'my-topic', batchSize: 2, batchClass: InsertingBatch });

    try {
      const [summary] = await registry.fullRefresh(db.knex, MyModel);
      expect(summary?.objects).toBe(5);
    } finally {
      await db.knex('my_models').where({ id: 6 }).delete();
    }
  });
});
