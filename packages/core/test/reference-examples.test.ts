import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRegistry, type Registry } from '../src/index.js';
import { createExampleTables, instance, MyModel, Other } from './support/models.js';
import { ALL_DIALECTS, clearOutbox, createOutboxDatabase, freezeTime, outboxRows, payloads, type TestDatabase } from './support/outbox.js';

const T = '"_time": "2023-01-01T00:00:00Z"';

describe.each(ALL_DIALECTS)('documented examples on %s', (dialect) => {
  let db: TestDatabase;
  let registry: Registry;

  beforeAll(async () => {
    db = await createOutboxDatabase(dialect, 'ks_examples');
    await createExampleTables(db.knex);
    await db.knex('others').insert({ id: 2, other_field: 3 });
    await db.knex('my_models').insert([
      { id: 1, field1: 1, field2: 'abc', other_id: null },
      { id: 3, field1: 5, field2: 'xyz', other_id: 2 },
    ]);
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

  const row1 = { id: 1, field1: 1, field2: 'abc', other_id: null };
  const row3 = { id: 3, field1: 5, field2: 'xyz', other_id: 2 };

  it('streams every column in table order', async () => {
    registry.register(MyModel, { topic: 'my-topic' });

    await db.knex.transaction((trx) => registry.streamCreate(trx, instance(MyModel, row1)));

    expect(await payloads(db.knex)).toEqual([
      `{${T}, "_type": "create", "id": 1, "field1": 1, "field2": "abc", "other_id": null}`,
    ]);
  });

  it('leaves excluded columns out', async () => {
    registry.register(MyModel, { topic: 'my-topic', exclude: ['field2'] });

    await db.knex.transaction((trx) => registry.streamCreate(trx, instance(MyModel, row1)));

    expect(await payloads(db.knex)).toEqual([`{${T}, "_type": "create", "id": 1, "field1": 1, "other_id": null}`]);
  });

  it('nests an included forward relation', async () => {
    registry.register(MyModel, { topic: 'my-topic', include: ['other'], selectRelated: ['other'] });

    await db.knex.transaction((trx) => registry.streamCreate(trx, [row3, row1], { model: MyModel }));

    expect(await payloads(db.knex)).toEqual([
      `{${T}, "_type": "create", "id": 3, "field1": 5, "field2": "xyz", "other_id": 2, "other": {"id": 2, "other_field": 3}}`,
      `{${T}, "_type": "create", "id": 1, "field1": 1, "field2": "abc", "other_id": null, "other": null}`,
    ]);
  });

  it('appends a computed field', async () => {
    registry.register(MyModel, { topic: 'my-topic', include: ['field1_plus_one'], computed: { field1_plus_one: (obj) => (obj.field1 as number) + 1 } });

    await db.knex.transaction((trx) => registry.streamCreate(trx, instance(MyModel, row1)));

    expect(await payloads(db.knex)).toEqual([
      `{${T}, "_type": "create", "id": 1, "field1": 1, "field2": "abc", "other_id": null, "field1_plus_one": 2}`,
    ]);
  });

  it('appends id at the end when excluded', async () => {
    registry.register(MyModel, { topic: 'my-topic', exclude: ['id'] });

    await db.knex.transaction((trx) => registry.streamUpdate(trx, instance(MyModel, row1)));

    expect(await payloads(db.knex)).toEqual([
      `{${T}, "_type": "update", "field1": 1, "field2": "abc", "other_id": null, "id": 1}`,
    ]);
  });

  it('lets static fields replace values in place', async () => {
    registry.register(MyModel, { topic: 'my-topic', staticFields: { field2: 'static', _type: 'custom', app: 'shop' } });

    await db.knex.transaction((trx) => registry.streamCreate(trx, instance(MyModel, row1)));

    expect(await payloads(db.knex)).toEqual([
      `{${T}, "_type": "custom", "id": 1, "field1": 1, "field2": "static", "other_id": null, "app": "shop"}`,
    ]);
  });

  it('deletes by id with static fields', async () => {
    registry.register(MyModel, { topic: 'my-topic', staticFields: { app: 'shop' } });

    await db.knex.transaction((trx) => registry.streamDeleteIds(trx, MyModel, [5]));

    expect(await payloads(db.knex)).toEqual([`{${T}, "_type": "delete", "id": 5, "app": "shop"}`]);
    const [row] = await outboxRows(db.knex);
    expect(row?.message_key).toBe('5');
    expect(row?.message_type).toBe('delete');
  });

  it('streams a delete with the last state', async () => {
    registry.register(MyModel, { topic: 'my-topic' });

    await db.knex.transaction((trx) => registry.streamDelete(trx, instance(MyModel, row3)));

    expect(await payloads(db.knex)).toEqual([
      `{${T}, "_type": "delete", "id": 3, "field1": 5, "field2": "xyz", "other_id": 2}`,
    ]);
  });

  it('ends a refresh with enumerate', async () => {
    registry.register(MyModel, { topic: 'my-topic', staticFields: { app: 'shop' } });

    await registry.fullRefresh(db.knex, MyModel);

    expect(await payloads(db.knex)).toEqual([
      `{${T}, "_type": "refresh", "id": 1, "field1": 1, "field2": "abc", "other_id": null, "app": "shop"}`,
      `{${T}, "_type": "refresh", "id": 3, "field1": 5, "field2": "xyz", "other_id": 2, "app": "shop"}`,
      `{${T}, "_type": "enumerate", "ids": [1, 3], "app": "shop", "id": 1}`,
    ]);
  });

  it('ends a refresh with eos', async () => {
    registry.register(MyModel, { topic: 'my-topic', staticFields: { app: 'shop' }, refreshFinalizeType: 'eos' });

    await registry.fullRefresh(db.knex, MyModel);

    const all = await payloads(db.knex);
    expect(all).toHaveLength(3);
    expect(all[2]).toBe(`{${T}, "_type": "eos", "id": null}`);
  });

  it('keys messages by object id', async () => {
    registry.register(Other, { topic: 'others' });
    registry.register(MyModel, { topic: 'my-topic' });

    await db.knex.transaction((trx) => registry.streamCreate(trx, [instance(MyModel, row1), instance(Other, { id: 2, other_field: 3 })]));

    const rows = await outboxRows(db.knex);
    expect(rows.map((row) => [row.topic, row.message_key, row.kafka_partition])).toEqual([
      ['my-topic', '1', null],
      ['others', '2', null],
    ]);
  });

  it('writes message-id and message-type headers', async () => {
    registry.register(MyModel, { topic: 'my-topic' });

    const ids = await db.knex.transaction((trx) =>
      registry.streamCreate(trx, instance(MyModel, row1), { headers: { 'trace-id': 'abc' } }),
    );

    const [row] = await outboxRows(db.knex);
    expect(ids).toEqual([row?.message_id]);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(row?.headers).toBe(`{"message-id":"${ids[0]}","message-type":"create","trace-id":"abc"}`);
  });
});
