import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRegistry, type Registry } from '../src/index.js';
import {
  ALL_DIALECTS,
  clearOutbox,
  createOutboxDatabase,
  freezeTime,
  outboxRows,
  payloads,
  type TestDatabase,
} from './support/outbox.js';

const BIG = '1533947986218845197';

class BigItem {
  static tableName = 'big_items';
  id?: unknown;
}

class Priced {
  static tableName = 'priced';
  id?: unknown;
}

describe.each(ALL_DIALECTS)('64-bit ids and decimals on %s', (dialect) => {
  let db: TestDatabase;
  let registry: Registry;

  beforeAll(async () => {
    db = await createOutboxDatabase(dialect, 'ks_values');
    await db.knex.schema.createTable('big_items', (t) => {
      t.bigInteger('id').primary();
      t.string('name', 20);
    });
    await db.knex.schema.createTable('priced', (t) => {
      t.increments('id');
      // Knex creates decimal() as float on SQLite; the declared type keeps the scale.
      t.specificType('price', 'decimal(10,2)');
      t.double('ratio');
    });
  });

  afterAll(async () => {
    await db?.destroy();
  });

  beforeEach(async () => {
    freezeTime();
    registry = createRegistry();
    registry.register(BigItem, { topic: 'big' });
    registry.register(Priced, { topic: 'priced' });
    await clearOutbox(db.knex);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    ['a BigInt', BigInt(BIG)],
    ['a decimal string', BIG],
  ])('keys and writes a bigint id given as %s', async (_, id) => {
    await db.knex.transaction((trx) => registry.streamUpdate(trx, { id, name: 'x' }, { model: BigItem }));
    await db.knex.transaction((trx) =>
      registry.streamUpdate(trx, { id, name: 'x' }, { model: BigItem, compact: true }),
    );

    const rows = await outboxRows(db.knex);
    expect(rows.map((row) => row.message_key)).toEqual([BIG, BIG]);
    expect(rows[0]?.payload).toBe(`{"_time": "2023-01-01T00:00:00Z", "_type": "update", "id": ${BIG}, "name": "x"}`);
    expect(rows[1]?.payload).toBe(`{"_time":"2023-01-01T00:00:00Z","_type":"update","id":${BIG},"name":"x"}`);
  });

  it.runIf(dialect === 'postgres')('streams a bigint id read back from PostgreSQL', async () => {
    await db.knex('big_items').insert({ id: BIG, name: 'pg' });
    const [row] = await db.knex('big_items').where({ id: BIG });
    expect(row.id).toBe(BIG);

    await db.knex.transaction((trx) => registry.streamUpdate(trx, row, { model: BigItem }));

    const [outbox] = await outboxRows(db.knex);
    expect(outbox?.message_key).toBe(BIG);
    expect(outbox?.payload).toContain(`"id": ${BIG},`);
  });

  it('keeps the digits of a numeric(10,2) value read through Knex', async () => {
    const [id] = await db.knex('priced').insert({ price: '10.50', ratio: 1.5 }, 'id');
    const rowId = typeof id === 'object' ? (id as { id: number }).id : id;
    const row = await db.knex('priced').where({ id: rowId }).first();

    await db.knex.transaction((trx) => registry.streamUpdate(trx, row, { model: Priced }));

    const [payload] = await payloads(db.knex);
    expect(payload).toContain('"price": "10.50"');
    expect(payload).toContain('"ratio": 1.5}');
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('rejects %s naming the field and writes nothing', async (_, ratio) => {
    const good = { id: 1, price: '1.00', ratio: 2 };
    const bad = { id: 2, price: '1.00', ratio };

    const error = await db.knex.transaction(async (trx) => {
      const failure = await registry.streamUpdate(trx, [good, bad], { model: Priced }).catch((e: unknown) => e);
      return failure as { code?: string; message?: string };
    });

    expect(error.code).toBe('ERR_KS_UNSERIALIZABLE');
    expect(error.message).toContain('ratio');
    expect(await outboxRows(db.knex)).toEqual([]);
  });
});

describe('the same object on every database', () => {
  const dbs: TestDatabase[] = [];

  beforeAll(async () => {
    for (const dialect of ALL_DIALECTS) {
      const db = await createOutboxDatabase(dialect, 'ks_same_bytes');
      await db.knex.schema.createTable('articles', (t) => {
        t.increments('id');
        t.string('title', 100);
        t.specificType('price', 'decimal(10,2)');
        t.double('score');
        t.json('data');
        t.dateTime('published_at', { precision: 6 });
      });
      await db.knex('articles').insert({
        id: 7,
        title: 'Grüße "quoted" \\ \n 🎉',
        price: '10.50',
        score: 3,
        data: JSON.stringify({ b: 1, a: [1, 2], n: null }),
        published_at: '2023-01-02 12:30:00.123456',
      });
      dbs.push(db);
    }
  });

  afterAll(async () => {
    for (const db of dbs) await db.destroy();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  class Article {
    static tableName = 'articles';
    id?: unknown;
  }

  it('writes identical payload bytes', async () => {
    freezeTime();
    const registry = createRegistry();
    registry.register(Article, { topic: 'articles' });

    const written: string[] = [];
    for (const db of dbs) {
      await db.knex.transaction((trx) => registry.streamUpdate(trx, { id: 7 }, { model: Article, reload: true }));
      written.push(...(await payloads(db.knex)));
    }

    expect(written).toHaveLength(3);
    expect(written[1]).toBe(written[0]);
    expect(written[2]).toBe(written[0]);
    expect(written[0]).toBe(
      '{"_time": "2023-01-01T00:00:00Z", "_type": "update", "id": 7, "title": "Grüße \\"quoted\\" \\\\ \\n 🎉", ' +
        '"price": "10.50", "score": 3.0, "data": {"b": 1, "a": [1, 2], "n": null}, "published_at": "2023-01-02T12:30:00.123Z"}',
    );

    const parsed = JSON.parse(written[0] as string);
    expect(typeof parsed).toBe('object');
    expect(Object.keys(parsed).slice(0, 3)).toEqual(['_time', '_type', 'id']);
  });
});
