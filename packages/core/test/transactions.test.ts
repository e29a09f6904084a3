import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRegistry, migrateOutbox, type Registry, Streamer } from '../src/index.js';
import { createExampleTables, instance, MyModel } from './support/models.js';
import {
  ALL_DIALECTS,
  clearOutbox,
  countQueries,
  createOutboxDatabase,
  outboxRows,
  type TestDatabase,
} from './support/outbox.js';

const row1 = { id: 1, field1: 1, field2: 'abc', other_id: null };

describe.each(ALL_DIALECTS)('transactions on %s', (dialect) => {
  let db: TestDatabase;
  let registry: Registry;

  beforeAll(async () => {
    db = await createOutboxDatabase(dialect, 'ks_trx');
    await createExampleTables(db.knex);
  });

  afterAll(async () => {
    await db?.destroy();
  });

  beforeEach(async () => {
    registry = createRegistry();
    registry.register(MyModel, { topic: 'my-topic' });
    await clearOutbox(db.knex);
    await db.knex('my_models').delete();
  });

  it('leaves no row after a rollback', async () => {
    const failure = db.knex.transaction(async (trx) => {
      await registry.streamCreate(trx, instance(MyModel, row1));
      throw new Error('business rule failed');
    });

    await expect(failure).rejects.toThrow('business rule failed');
    expect(await outboxRows(db.knex)).toEqual([]);
  });

  it('drops the rows of a rolled-back savepoint', async () => {
    await db.knex.transaction(async (trx) => {
      await registry.streamCreate(trx, instance(MyModel, row1));
      await trx
        .transaction(async (savepoint) => {
          await registry.streamUpdate(savepoint, instance(MyModel, { ...row1, field1: 2 }));
          throw new Error('undo the savepoint');
        })
        .catch(() => undefined);
      await trx.transaction((savepoint) => registry.streamUpdate(savepoint, instance(MyModel, { ...row1, field1: 3 })));
    });

    const rows = await outboxRows(db.knex);
    expect(rows.map((row) => row.message_type)).toEqual(['create', 'update']);
    expect(rows[1]?.payload).toContain('"field1": 3');
  });

  it('rejects a committed transaction at once', async () => {
    let committed: Knex.Transaction | undefined;
    await db.knex.transaction(async (trx) => {
      committed = trx;
    });

    const { result } = await countQueries(db.knex, () =>
      registry.streamCreate(committed as Knex.Transaction, instance(MyModel, row1)).catch((e: unknown) => e),
    );

    expect(result).toMatchObject({ code: 'ERR_KS_TRANSACTION_COMPLETED' });
    expect((result as Error).message).toContain('knex.transaction(async (trx) => ...)');
    expect(await outboxRows(db.knex)).toEqual([]);
  });

  it('rejects a rolled-back transaction at once', async () => {
    const trx = await db.knex.transaction();
    await trx.rollback();

    const { result, queries } = await countQueries(db.knex, () =>
      registry.streamCreate(trx, instance(MyModel, row1)).catch((e: unknown) => e),
    );

    expect(result).toMatchObject({ code: 'ERR_KS_TRANSACTION_COMPLETED' });
    expect(queries).toEqual([]);
    expect(await outboxRows(db.knex)).toEqual([]);
  });

  it('rejects the root Knex instance', async () => {
    const { result, queries } = await countQueries(db.knex, () =>
      registry.streamCreate(db.knex as unknown as Knex.Transaction, instance(MyModel, row1)).catch((e: unknown) => e),
    );

    expect(result).toMatchObject({ code: 'ERR_KS_NOT_A_TRANSACTION' });
    expect((result as Error).message).toContain('pass the trx from knex.transaction');
    expect(queries).toEqual([]);
  });

  it('writes nothing when a concurrent insert fails', async () => {
    await db.knex('my_models').insert(row1);

    const failure = db.knex.transaction((trx) =>
      Promise.all([trx('my_models').insert(row1), registry.streamCreate(trx, instance(MyModel, row1))]),
    );

    await expect(failure).rejects.toThrow();
    expect(await outboxRows(db.knex)).toEqual([]);
  });
});

describe('the root Knex instance on SQLite with one connection', () => {
  let dir: TestDatabase;
  let knex: Knex;

  beforeAll(async () => {
    dir = await createOutboxDatabase('sqlite', 'ks_pool_one');
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: dir.url },
      useNullAsDefault: true,
      pool: { min: 1, max: 1 },
      acquireConnectionTimeout: 60_000,
    });
    await migrateOutbox(knex);
    await createExampleTables(knex);
  });

  afterAll(async () => {
    await knex?.destroy();
    await dir?.destroy();
  });

  it('rejects at once while a transaction holds the connection', async () => {
    const registry = createRegistry();
    registry.register(MyModel, { topic: 'my-topic' });
    const started = Date.now();

    const error = await knex.transaction(async () =>
      registry.streamCreate(knex as unknown as Knex.Transaction, instance(MyModel, row1)).catch((e: unknown) => e),
    );

    expect(error).toMatchObject({ code: 'ERR_KS_NOT_A_TRANSACTION' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await knex('kafka_streamer_outbox').count({ n: '*' })).toEqual([{ n: 0 }]);
  });
});

describe.each(ALL_DIALECTS)('bad input on %s', (dialect) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createOutboxDatabase(dialect, 'ks_bad_input');
    await createExampleTables(db.knex);
  });

  afterAll(async () => {
    await db?.destroy();
  });

  beforeEach(async () => {
    await clearOutbox(db.knex);
  });

  async function rejection(fn: (trx: Knex.Transaction) => Promise<unknown>) {
    const error = await db.knex.transaction((trx) => fn(trx).catch((e: unknown) => e));
    expect(await outboxRows(db.knex)).toEqual([]);
    return error as { code?: string; message: string };
  }

  it('rejects an unregistered model', async () => {
    const registry = createRegistry();

    const error = await rejection((trx) => registry.streamCreate(trx, instance(MyModel, row1)));

    expect(error.code).toBe('ERR_KS_MODEL_NOT_REGISTERED');
    expect(error.message).toContain('MyModel');
  });

  it('rejects a plain row without a model', async () => {
    const registry = createRegistry();
    registry.register(MyModel, { topic: 'my-topic' });

    const error = await rejection((trx) => registry.streamCreate(trx, row1));

    expect(error.code).toBe('ERR_KS_MODEL_NOT_REGISTERED');
    expect(error.message).toContain('{ model }');
  });

  it('rejects null and non-objects', async () => {
    const registry = createRegistry();
    registry.register(MyModel, { topic: 'my-topic' });

    for (const value of [null, 1, 'row']) {
      const error = await rejection((trx) => registry.streamCreate(trx, value as never, { model: MyModel }));

      expect(error.code).toBe('ERR_KS_INVALID_OBJECT');
      expect(error.message).toContain(`is ${typeof value === 'string' ? '"row"' : String(value)}, not an object`);
    }
  });

  it('rejects a streamer without a topic', () => {
    const registry = createRegistry();

    expect(() => registry.register(MyModel, Streamer, {})).toThrow(expect.objectContaining({ code: 'ERR_KS_MISSING_TOPIC' }));
    registry.register(MyModel, {});
    expect(() => registry.getStreamer(MyModel)).toThrow(expect.objectContaining({ code: 'ERR_KS_MISSING_TOPIC' }));
  });

  it('rejects an invalid topic and unknown options', () => {
    const registry = createRegistry();

    expect(() => registry.register(MyModel, { topic: 'bad topic' })).toThrow(/invalid topic "bad topic"/);
    expect(() => registry.register(MyModel, { topic: 't', select_related: [] } as never)).toThrow(/unknown streamer option "select_related"/);
  });

  it('rejects options of the wrong type', () => {
    const registry = createRegistry();

    expect(() => registry.register(MyModel, { topic: 't', staticFields: 5 } as never)).toThrow(/invalid staticFields .*: 5; use an object/);
    expect(() => registry.register(MyModel, { topic: 't', keySerializer: 'id' } as never)).toThrow(/invalid keySerializer .*: string; use a function/);
    expect(() => registry.register(MyModel, { topic: 't', computed: { total: 3 } } as never)).toThrow(/invalid computed field "total"/);
  });

  it('rejects bad identifiers', async () => {
    const registry = createRegistry();
    class BadTable {
      static tableName = 'my_models; drop table x';
      id?: unknown;
    }
    expect(() => registry.register(BadTable, { topic: 't' })).toThrow(expect.objectContaining({ code: 'ERR_KS_CONFIGURATION' }));
    registry.register(MyModel, { topic: 'my-topic' });

    const error = await rejection((trx) => registry.streamCreate(trx, instance(MyModel, row1), { outbox: { table: 'bad-name' } }));

    expect(error.code).toBe('ERR_KS_CONFIGURATION');
    expect(error.message).toContain('"bad-name"');
  });

  it('rejects a key longer than 512 characters', async () => {
    const registry = createRegistry();
    registry.register(MyModel, { topic: 'my-topic', keySerializer: () => 'k'.repeat(513) });

    const error = await rejection((trx) => registry.streamCreate(trx, instance(MyModel, row1)));

    expect(error.code).toBe('ERR_KS_KEY_TOO_LONG');
    expect(error.message).toContain('513 characters');
  });

  it('rejects a row missing a column', async () => {
    const registry = createRegistry();
    registry.register(MyModel, { topic: 'my-topic' });

    const error = await rejection((trx) => registry.streamCreate(trx, { id: 1, field1: 1 }, { model: MyModel }));

    expect(error.code).toBe('ERR_KS_MISSING_COLUMN');
    expect(error.message).toContain('"field2"');
    expect(error.message).toContain("returning('*')");
  });

  it('reloads partial rows by id on request', async () => {
    const registry = createRegistry();
    registry.register(MyModel, { topic: 'my-topic' });
    await db.knex('my_models').insert({ id: 9, field1: 4, field2: 'db', other_id: null });

    await db.knex.transaction((trx) => registry.streamUpdate(trx, { id: 9 }, { model: MyModel, reload: true }));
    const [reloaded] = await outboxRows(db.knex);
    await clearOutbox(db.knex);
    const missing = await rejection((trx) => registry.streamUpdate(trx, { id: 404 }, { model: MyModel, reload: true }));

    expect(reloaded?.payload).toMatch(/"_type": "update", "id": 9, "field1": 4, "field2": "db", "other_id": null}$/);
    expect(missing.code).toBe('ERR_KS_ROW_NOT_FOUND');
  });

  it('rejects enumerate and unknown types', async () => {
    const registry = createRegistry();
    registry.register(MyModel, { topic: 'my-topic' });

    const error = await rejection((trx) => registry.streamInTx(trx, instance(MyModel, row1), { type: 'upsert' as never }));

    expect(error.message).toContain('invalid message type "upsert"');
  });

  it('rejects unknown stream options', async () => {
    const registry = createRegistry();
    registry.register(MyModel, { topic: 'my-topic' });

    const error = await rejection((trx) => registry.streamInTx(trx, instance(MyModel, row1), { bogus: 1 } as never));

    expect(error.code).toBe('ERR_KS_CONFIGURATION');
    expect(error.message).toContain('unknown stream option "bogus"');
  });
});
