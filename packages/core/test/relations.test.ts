import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRegistry, type Registry } from '../src/index.js';
import {
  ALL_DIALECTS,
  clearOutbox,
  countQueries,
  createOutboxDatabase,
  freezeTime,
  payloads,
  type TestDatabase,
} from './support/outbox.js';
import { createShopTables, insertShopRows, ObjectionOrder, Order } from './support/shop.js';

const T = '"_time": "2023-01-01T00:00:00Z"';

const ORDER_1 =
  `{${T}, "_type": "update", "id": 1, "number": "N-1", "customer_id": 1, ` +
  '"customer": {"id": 1, "name": "Ada"}, ' +
  '"items": [{"id": 1, "order_id": 1, "sku": "A-1", "qty": 1}, {"id": 2, "order_id": 1, "sku": "B-1", "qty": 2}], ' +
  '"invoice": {"id": 1, "order_id": 1, "total": 10}, ' +
  '"tags": [{"id": 1, "label": "gift"}, {"id": 2, "label": "rush"}]}';

const LONELY = `{${T}, "_type": "update", "id": 999, "number": "none", "customer_id": null, "customer": null, "items": [], "invoice": null, "tags": []}`;

describe.each(ALL_DIALECTS)('relations on %s', (dialect) => {
  let db: TestDatabase;
  let registry: Registry;

  beforeAll(async () => {
    db = await createOutboxDatabase(dialect, 'ks_relations');
    await createShopTables(db.knex);
    await insertShopRows(db.knex, 100);
    await db.knex('orders').insert({ id: 999, number: 'none', customer_id: null });
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

  const orderRow = (id: number) => db.knex('orders').where({ id }).first();

  it('nests every relation kind', async () => {
    registry.register(Order, { topic: 'orders', include: ['customer', 'items', 'invoice', 'tags'] });
    const rows = [await orderRow(1), await orderRow(999)];

    await db.knex.transaction((trx) => registry.streamUpdate(trx, rows, { model: Order }));

    expect(await payloads(db.knex)).toEqual([ORDER_1, LONELY]);
  });

  it('reads Objection.js relationMappings', async () => {
    registry.register(ObjectionOrder, { topic: 'orders', include: ['customer', 'items', 'invoice', 'tags'] });
    const rows = [await orderRow(1), await orderRow(999)];

    await db.knex.transaction((trx) => registry.streamUpdate(trx, rows, { model: ObjectionOrder }));

    expect(await payloads(db.knex)).toEqual([ORDER_1, LONELY]);
  });

  it('excludes and overrides nested fields', async () => {
    registry.register(Order, {
      topic: 'orders',
      include: ['customer', 'items'],
      exclude: ['items.qty', 'items.order_id', 'customer_id'],
      computed: { 'customer.name': (customer) => String((customer as { name: string }).name).toUpperCase() },
    });

    const row = await orderRow(1);

    await db.knex.transaction((trx) => registry.streamUpdate(trx, row, { model: Order }));

    expect(await payloads(db.knex)).toEqual([
      `{${T}, "_type": "update", "id": 1, "number": "N-1", "customer": {"id": 1, "name": "ADA"}, ` +
        '"items": [{"id": 1, "sku": "A-1"}, {"id": 2, "sku": "B-1"}]}',
    ]);
  });

  it('gives computed fields the batch and its related rows', async () => {
    const seen: number[] = [];
    registry.register(Order, {
      topic: 'orders',
      prefetchRelated: ['items'],
      computed: {
        item_count: (order, batch) => {
          seen.push(batch.objects.length);
          return (batch.related(order, 'items') as unknown[]).length;
        },
      },
    });
    const rows = await db.knex('orders').whereIn('id', [1, 2, 999]).orderBy('id');

    await db.knex.transaction((trx) => registry.streamUpdate(trx, rows, { model: Order }));

    const all = await payloads(db.knex);
    expect(all.map((payload) => payload.match(/"item_count": (\d+)/)?.[1])).toEqual(['2', '2', '0']);
    expect(seen).toEqual([3, 3, 3]);
  });

  it('issues a constant number of queries', async () => {
    registry.register(Order, {
      topic: 'orders',
      include: ['customer', 'items', 'invoice', 'tags', 'first_sku'],
      selectRelated: ['customer'],
      prefetchRelated: ['items', 'tags'],
      computed: { first_sku: (order, batch) => (batch.related(order, 'items') as { sku: string }[])[0]?.sku ?? null },
    });
    const ten = await db.knex('orders').where('id', '<=', 10).orderBy('id');
    const hundred = await db.knex('orders').where('id', '<=', 100).orderBy('id');
    await db.knex.transaction((trx) => registry.streamUpdate(trx, ten.slice(0, 1), { model: Order }));

    const few = await countQueries(db.knex, () => db.knex.transaction((trx) => registry.streamUpdate(trx, ten, { model: Order })));
    const many = await countQueries(db.knex, () =>
      db.knex.transaction((trx) => registry.streamUpdate(trx, hundred, { model: Order })),
    );

    expect(many.result).toHaveLength(100);
    expect(many.queries.length).toBe(few.queries.length);
    // BEGIN, one query per relation (4), the INSERT, COMMIT.
    expect(many.queries.filter((sql) => /^select/i.test(sql))).toHaveLength(4);
    expect(many.queries.filter((sql) => /^insert/i.test(sql))).toHaveLength(1);
  });

  it('loads relations once per batch', async () => {
    registry.register(Order, { topic: 'orders', include: ['items'], batchSize: 30 });
    const hundred = await db.knex('orders').where('id', '<=', 100).orderBy('id');
    await db.knex.transaction((trx) => registry.streamUpdate(trx, hundred.slice(0, 1), { model: Order }));

    const { queries } = await countQueries(db.knex, () =>
      db.knex.transaction((trx) => registry.streamUpdate(trx, hundred, { model: Order })),
    );

    expect(queries.filter((sql) => /^select/i.test(sql))).toHaveLength(4);
    expect(queries.filter((sql) => /^insert/i.test(sql))).toHaveLength(1);
  });

  it('rejects an include that is neither relation nor computed', async () => {
    registry.register(Order, { topic: 'orders', include: ['nothing'] });

    const row = await orderRow(1);

    const error = await db.knex.transaction((trx) =>
      registry.streamUpdate(trx, row, { model: Order }).catch((e: unknown) => e),
    );

    expect(String(error)).toContain('loadNothing(obj, batch)');
  });
});
