import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/databases.js';
import type { TableColumns } from '../../src/serialize/column-kind.js';
import { selectColumnExpressions } from '../../src/serialize/column-selection.js';
import { encodeMessage } from '../../src/serialize/encode.js';
import { normalizeColumnValue } from '../../src/serialize/normalize.js';
import { clearColumnCache, loadTableColumns } from '../../src/serialize/table-columns.js';

// Declared types as Django creates them on SQLite, plus Knex's json.
const CREATE_SAMPLES = `
  create table samples (
    id integer primary key,
    small_value integer,
    big_value bigint,
    price decimal(10, 2),
    ratio real,
    active bool,
    name varchar(100),
    doc text check (json_valid("doc") or "doc" is null),
    doc_knex json,
    created datetime,
    day date,
    at_time time,
    other_id integer null
  )`;

const ROW = {
  id: 1,
  small_value: 42,
  big_value: 1533947986218845197n,
  price: 10.5,
  ratio: 3.0,
  active: 1,
  name: 'héllo "q"\n😀/',
  doc: '{"b": 1, "a": [1.0, 12345678901234567890], "10": "x"}',
  doc_knex: '{"z": [], "y": {}}',
  created: '2023-01-02 12:30:00.000005',
  day: '2023-01-03',
  at_time: '12:30:15.500000',
  other_id: null,
};

function encodeRow(columns: TableColumns, row: Record<string, unknown>): string {
  const body = new Map<string, unknown>();
  for (const column of columns.columns) {
    const kind = columns.kinds.get(column) ?? 'unknown';
    body.set(column, normalizeColumnValue(row[column], kind, column, columns.scales?.get(column)));
  }
  return encodeMessage(body);
}

describe('loadTableColumns on sqlite', () => {
  let db: TestDatabase;
  let knex: Knex;

  beforeAll(async () => {
    db = await createTestDatabase('sqlite', 'ks_serialize');
    // safeIntegers makes better-sqlite3 return every integer as BigInt, unrounded.
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: db.url, options: { safeIntegers: true } },
      useNullAsDefault: true,
    });
    await knex.raw(CREATE_SAMPLES);
    await knex('samples').insert(ROW);
  });

  afterAll(async () => {
    await knex?.destroy();
    await db?.destroy();
  });

  beforeEach(() => {
    clearColumnCache();
  });

  it('lists columns in table order with kinds', async () => {
    const columns = await loadTableColumns(knex, 'samples');

    expect(columns.columns).toEqual(Object.keys(ROW));
    expect(Object.fromEntries(columns.kinds)).toEqual({
      id: 'integer',
      small_value: 'integer',
      big_value: 'integer',
      price: 'decimal',
      ratio: 'float',
      active: 'boolean',
      name: 'text',
      doc: 'json',
      doc_knex: 'json',
      created: 'datetime',
      day: 'date',
      at_time: 'time',
      other_id: 'integer',
    });
    expect(columns.scales?.get('price')).toBe(2);
  });

  it('encodes a row with Python bytes', async () => {
    const columns = await loadTableColumns(knex, 'samples');
    const row = await knex('samples').select(selectColumnExpressions(knex, columns)).first();

    expect(encodeRow(columns, row)).toBe(
      '{"id": 1, "small_value": 42, "big_value": 1533947986218845197, "price": "10.50", "ratio": 3.0, ' +
        '"active": true, "name": "héllo \\"q\\"\\n😀/", ' +
        '"doc": {"b": 1, "a": [1.0, 12345678901234567890], "10": "x"}, "doc_knex": {"z": [], "y": {}}, ' +
        '"created": "2023-01-02T12:30:00.000Z", "day": "2023-01-03", "at_time": "12:30:15.500", "other_id": null}',
    );
  });

  it('encodes a Date that Knex stored as milliseconds', async () => {
    await knex('samples').insert({ id: 2, created: new Date('2023-01-02T12:30:00.123Z') });
    const columns = await loadTableColumns(knex, 'samples');
    const row = await knex('samples').where({ id: 2 }).first();

    expect(normalizeColumnValue(row.created, columns.kinds.get('created') ?? 'unknown', 'created')).toBe(
      '2023-01-02T12:30:00.123Z',
    );
  });

  it('rejects a big integer the driver rounded', async () => {
    const row = await db.knex('samples').where({ id: 1 }).first();

    expect(typeof row.big_value).toBe('number');
    expect(() => normalizeColumnValue(row.big_value, 'integer', 'big_value')).toThrow(/safeIntegers/);
  });

  it('rejects blob columns', async () => {
    await knex.raw('create table blobs (id integer primary key, payload blob)');
    await knex('blobs').insert({ id: 1, payload: Buffer.from([1, 2]) });
    const columns = await loadTableColumns(knex, 'blobs');
    const row = await knex('blobs').first();

    expect(columns.kinds.get('payload')).toBe('binary');
    expect(() => normalizeColumnValue(row.payload, 'binary', 'payload')).toThrow(/"payload"/);
  });

  it('rejects a missing table with its name', async () => {
    const error = await loadTableColumns(knex, 'no_such_table').catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'ERR_KS_TABLE_NOT_FOUND', table: 'no_such_table' });
  });

  it('reads through the given transaction', async () => {
    const trx = await knex.transaction();

    try {
      await trx.raw('create table created_in_transaction (id integer, label text)');
      const columns = await loadTableColumns(trx, 'created_in_transaction');

      expect(columns.columns).toEqual(['id', 'label']);
    } finally {
      await trx.rollback();
    }
  });
});
