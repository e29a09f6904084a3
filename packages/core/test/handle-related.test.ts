import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRegistry, type Registry, withoutHandleRelated } from '../src/index.js';
import { ALL_DIALECTS, clearOutbox, countQueries, createOutboxDatabase, outboxRows, type TestDatabase } from './support/outbox.js';
import { Customer, createShopTables, Invoice, Item, insertShopRows, Order, Tag } from './support/shop.js';

describe.each(ALL_DIALECTS)('handleRelated on %s', (dialect) => {
  let db: TestDatabase;
  let registry: Registry;

  beforeAll(async () => {
    db = await createOutboxDatabase(dialect, 'ks_handle');
    await createShopTables(db.knex);
    await insertShopRows(db.knex, 3);
    await db.knex('orders').insert({ id: 4, number: 'N-4', customer_id: 2 });
  });

  afterAll(async () => {
    await db?.destroy();
  });

  beforeEach(async () => {
    registry = createRegistry();
    registry.register(Customer, { topic: 'customers' });
    registry.register(Item, { topic: 'items' });
    registry.register(Invoice, { topic: 'invoices' });
    registry.register(Tag, { topic: 'tags' });
    registry.register(Order, { topic: 'orders', handleRelated: ['customer', 'items', 'invoice', 'tags'] });
    await clearOutbox(db.knex);
  });

  async function streamedKeys() {
    return (await outboxRows(db.knex)).map((row) => `${row.topic}:${row.message_type}:${row.message_key}`);
  }

  it('re-streams the objects pointing at a changed object', async () => {
    const { queries } = await countQueries(db.knex, () =>
      db.knex.transaction((trx) => registry.streamUpdate(trx, { id: 1, name: 'Ada L.' }, { model: Customer })),
    );

    expect(await streamedKeys()).toEqual(['customers:update:1', 'orders:update:1', 'orders:update:2', 'orders:update:3']);
    expect(queries.filter((sql) => /^insert/i.test(sql))).toHaveLength(1);
  });

  it('follows reverse and many-to-many relations', async () => {
    const item = await db.knex('order_items').where({ order_id: 2 }).orderBy('id').first();
    const invoice = await db.knex('invoices').where({ order_id: 3 }).first();

    await db.knex.transaction(async (trx) => {
      await registry.streamCreate(trx, item, { model: Item });
      await registry.streamDelete(trx, invoice, { model: Invoice });
      await registry.streamDeleteIds(trx, Tag, [1]);
    });

    expect(await streamedKeys()).toEqual([
      'items:create:3',
      'orders:update:2',
      'invoices:delete:3',
      'orders:update:3',
      'tags:delete:1',
      'orders:update:1',
      'orders:update:2',
      'orders:update:3',
    ]);
  });

  it('skips objects streamed by the same call', async () => {
    const order = await db.knex('orders').where({ id: 1 }).first();

    const objects = [Object.assign(new Customer(), { id: 1, name: 'Ada' }), Object.assign(new Order(), order)];

    await db.knex.transaction((trx) => registry.streamUpdate(trx, objects));

    expect(await streamedKeys()).toEqual(['customers:update:1', 'orders:update:1', 'orders:update:2', 'orders:update:3']);
  });

  it('does not re-stream on refresh', async () => {
    await db.knex.transaction((trx) => registry.streamRefresh(trx, { id: 1, name: 'Ada' }, { model: Customer }));

    expect(await streamedKeys()).toEqual(['customers:refresh:1']);
  });

  it('is suspended by withoutHandleRelated', async () => {
    await db.knex.transaction(async (trx) => {
      await withoutHandleRelated([Order], () => registry.streamUpdate(trx, { id: 2, name: 'Bob' }, { model: Customer }));
      await withoutHandleRelated(undefined, () => registry.streamUpdate(trx, { id: 2, name: 'Bob' }, { model: Customer }));
      await withoutHandleRelated([Tag], () => registry.streamUpdate(trx, { id: 2, name: 'Bob' }, { model: Customer }));
    });

    expect(await streamedKeys()).toEqual([
      'customers:update:2',
      'customers:update:2',
      'customers:update:2',
      'orders:update:4',
    ]);
  });

  it('is restored after withoutHandleRelated throws', async () => {
    await db.knex.transaction(async (trx) => {
      await withoutHandleRelated([Order], async () => {
        throw new Error('inside');
      }).catch(() => undefined);
      await registry.streamUpdate(trx, { id: 2, name: 'Bob' }, { model: Customer });
    });

    expect(await streamedKeys()).toEqual(['customers:update:2', 'orders:update:4']);
  });

  it('writes nothing when the transaction rolls back', async () => {
    const failure = db.knex.transaction(async (trx) => {
      await registry.streamUpdate(trx, { id: 1, name: 'Ada' }, { model: Customer });
      throw new Error('rollback');
    });

    await expect(failure).rejects.toThrow('rollback');
    expect(await streamedKeys()).toEqual([]);
  });

  // Waits until some session of this database waits for a row lock.
  async function waitForLockWait(deadlineMs: number) {
    const query =
      "select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'";
    const end = Date.now() + deadlineMs;
    while (Date.now() < end) {
      const [row] = (await db.knex.raw(query)).rows;
      if (Number(row.n) > 0) return true;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return false;
  }

  // NOTE: PostgreSQL only. MySQL takes the same FOR UPDATE lock, but polling
  // information_schema.innodb_trx did not report the wait reliably in CI.
  it.runIf(dialect === 'postgres')('makes concurrent re-streams of one object take turns', async () => {
    let commitFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => {
      commitFirst = resolve;
    });
    let firstStreamed!: () => void;
    const firstHasStreamed = new Promise<void>((resolve) => {
      firstStreamed = resolve;
    });

    const first = db.knex.transaction(async (trx) => {
      await registry.streamUpdate(trx, { id: 2, name: 'Bob first' }, { model: Customer });
      firstStreamed();
      await firstMayCommit;
    });
    await firstHasStreamed;

    const second = db.knex.transaction((trx) =>
      registry.streamUpdate(trx, { id: 2, name: 'Bob second' }, { model: Customer }),
    );

    let waited: boolean;
    let visibleBeforeCommit: string[];
    try {
      waited = await waitForLockWait(10_000);
      visibleBeforeCommit = await streamedKeys();
    } finally {
      commitFirst();
      await first;
      await second;
    }

    expect(waited).toBe(true);
    expect(visibleBeforeCommit).toEqual([]);

    const rows = await outboxRows(db.knex);
    const orderRows = rows.filter((row) => row.topic === 'orders');
    expect(orderRows.map((row) => row.message_key)).toEqual(['4', '4']);
    expect(orderRows[0]?.payload).toContain('"customer_id": 2');
  });
});
