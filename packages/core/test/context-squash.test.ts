import type { Knex } from 'knex';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRegistry, type Registry, squash, withContext } from '../src/index.js';
import { createExampleTables, MyModel } from './support/models.js';
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
const row = (id: number, field1: number) => ({ id, field1, field2: 'abc', other_id: null });

describe.each(ALL_DIALECTS)('context on %s', (dialect) => {
  let db: TestDatabase;
  let registry: Registry;

  beforeAll(async () => {
    db = await createOutboxDatabase(dialect, 'ks_context');
    await createExampleTables(db.knex);
  });

  afterAll(async () => {
    await db?.destroy();
  });

  beforeEach(async () => {
    freezeTime();
    registry = createRegistry();
    registry.register(MyModel, { topic: 'my-topic', exclude: ['field2', 'other_id'] });
    await clearOutbox(db.knex);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  const stream = (trx: Knex.Transaction, id: number) => registry.streamCreate(trx, row(id, 1), { model: MyModel });

  it('adds source, user id and extra values after _type', async () => {
    await db.knex.transaction((trx) =>
      withContext({ source: 'api', userId: 42, extra: { tenant: 'acme' } }, () => stream(trx, 1)),
    );

    expect(await payloads(db.knex)).toEqual([
      `{${T}, "_type": "create", "_source": "api", "_user_id": 42, "_tenant": "acme", "id": 1, "field1": 1}`,
    ]);
  });

  it('leaves out falsy source and user id', async () => {
    await db.knex.transaction((trx) => withContext({ source: '', userId: 0 }, () => stream(trx, 1)));

    expect(await payloads(db.knex)).toEqual([`{${T}, "_type": "create", "id": 1, "field1": 1}`]);
  });

  it('merges nested contexts and restores the outer one', async () => {
    await db.knex.transaction((trx) =>
      withContext({ source: 'api', userId: 1, extra: { tenant: 'acme' } }, async () => {
        await withContext({ userId: 2, extra: { request: 'r1' } }, () => stream(trx, 1));
        await stream(trx, 2);
      }),
    );

    expect(await payloads(db.knex)).toEqual([
      `{${T}, "_type": "create", "_source": "api", "_user_id": 2, "_tenant": "acme", "_request": "r1", "id": 1, "field1": 1}`,
      `{${T}, "_type": "create", "_source": "api", "_user_id": 1, "_tenant": "acme", "id": 2, "field1": 1}`,
    ]);
  });

  it('keeps concurrent contexts apart', async () => {
    let open = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const inContext = (source: string, id: number) =>
      withContext({ source }, async () => {
        await gate;
        await db.knex.transaction((trx) => stream(trx, id));
      });

    const both = Promise.all([inContext('first', 1), inContext('second', 2)]);
    open();
    await both;

    const sources = (await outboxRows(db.knex)).map((r) => [r.message_key, JSON.parse(r.payload)._source]);
    expect(sources.sort()).toEqual([
      ['1', 'first'],
      ['2', 'second'],
    ]);
  });

  it('is restored after an error', async () => {
    await expect(
      withContext({ source: 'failing' }, async () => {
        throw new Error('inside');
      }),
    ).rejects.toThrow('inside');

    await db.knex.transaction((trx) => stream(trx, 1));

    expect(await payloads(db.knex)).toEqual([`{${T}, "_type": "create", "id": 1, "field1": 1}`]);
  });
});

describe.each(ALL_DIALECTS)('squash on %s', (dialect) => {
  let db: TestDatabase;
  let registry: Registry;

  beforeAll(async () => {
    db = await createOutboxDatabase(dialect, 'ks_squash');
    await createExampleTables(db.knex);
  });

  afterAll(async () => {
    await db?.destroy();
  });

  beforeEach(async () => {
    freezeTime();
    registry = createRegistry();
    registry.register(MyModel, { topic: 'my-topic', exclude: ['field2', 'other_id'] });
    await clearOutbox(db.knex);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  const create = (trx: Knex.Transaction, id: number, v: number) => registry.streamCreate(trx, row(id, v), { model: MyModel });
  const update = (trx: Knex.Transaction, id: number, v: number) => registry.streamUpdate(trx, row(id, v), { model: MyModel });
  const remove = (trx: Knex.Transaction, id: number) => registry.streamDeleteIds(trx, MyModel, [id]);

  it('merges create then update into one create', async () => {
    await db.knex.transaction((trx) =>
      squash(async () => {
        await create(trx, 1, 1);
        await update(trx, 2, 1);
        await update(trx, 1, 2);
        await update(trx, 1, 3);
        await update(trx, 2, 5);
      }),
    );

    const rows = await outboxRows(db.knex);
    expect(rows.map((r) => r.payload)).toEqual([
      `{${T}, "_type": "create", "id": 1, "field1": 3}`,
      `{${T}, "_type": "update", "id": 2, "field1": 5}`,
    ]);
    expect(JSON.parse(rows[0]?.headers ?? '{}')['message-type']).toBe('create');
  });

  it('drops create then delete', async () => {
    await db.knex.transaction((trx) =>
      squash(async () => {
        await create(trx, 1, 1);
        await update(trx, 1, 2);
        await remove(trx, 1);
        await update(trx, 2, 1);
        await remove(trx, 2);
      }),
    );

    expect(await payloads(db.knex)).toEqual([`{${T}, "_type": "delete", "id": 2}`]);
  });

  it('writes nothing when the block throws', async () => {
    await db.knex.transaction(async (trx) => {
      await squash(async () => {
        await create(trx, 1, 1);
        throw new Error('block failed');
      }).catch(() => undefined);
      await create(trx, 2, 1);
    });

    expect(await payloads(db.knex)).toEqual([`{${T}, "_type": "create", "id": 2, "field1": 1}`]);
  });

  it('hands a nested squash to the outer one', async () => {
    await db.knex.transaction((trx) =>
      squash(async () => {
        await create(trx, 1, 1);
        await squash(async () => {
          await update(trx, 1, 2);
        });
        await squash(async () => {
          await update(trx, 1, 9);
          throw new Error('inner failed');
        }).catch(() => undefined);
        expect(await outboxRows(trx as unknown as Knex)).toEqual([]);
      }),
    );

    expect(await payloads(db.knex)).toEqual([`{${T}, "_type": "create", "id": 1, "field1": 2}`]);
  });

  it('rejects a flush after the transaction ended', async () => {
    const failure = squash(() => db.knex.transaction((trx) => create(trx, 1, 1)));

    await expect(failure).rejects.toMatchObject({ code: 'ERR_KS_TRANSACTION_COMPLETED' });
    expect(await outboxRows(db.knex)).toEqual([]);
  });
});
