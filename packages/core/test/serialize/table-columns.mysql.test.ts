import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/databases.js';
import type { TableColumns } from '../../src/serialize/column-kind.js';
import { selectColumnExpressions } from '../../src/serialize/column-selection.js';
import { encodeMessage } from '../../src/serialize/encode.js';
import { normalizeColumnValue } from '../../src/serialize/normalize.js';
import { clearColumnCache, loadTableColumns } from '../../src/serialize/table-columns.js';

const CREATE_SAMPLES = `
  create table samples (
    id int primary key,
    small_value int,
    big_value bigint,
    price decimal(10, 2),
    ratio double,
    ratio_float float,
    active boolean,
    name varchar(100),
    doc json,
    notes longtext,
    created datetime(6),
    day date,
    at_time time(6),
    other_id int null
  ) character set utf8mb4`;

const ROW = {
  id: 1,
  small_value: 42,
  big_value: '1533947986218845197',
  price: '10.50',
  ratio: 3.0,
  ratio_float: 1.5,
  active: true,
  name: 'héllo "q"\n😀/',
  doc: '{"b": 1, "a": [1.0, 12345678901234567890], "10": "x"}',
  notes: 'plain text',
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

describe('loadTableColumns on mysql', () => {
  let db: TestDatabase;
  let knex: Knex;

  beforeAll(async () => {
    db = await createTestDatabase('mysql', 'ks_serialize');
    // Without these options mysql2 returns BIGINT as a rounded number.
    knex = knexFactory({
      client: 'mysql2',
      connection: { uri: db.url, supportBigNumbers: true, bigNumberStrings: true },
      pool: { min: 0, max: 2 },
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
      ratio_float: 'float',
      active: 'boolean',
      name: 'text',
      doc: 'json',
      notes: 'text',
      created: 'datetime',
      day: 'date',
      at_time: 'time',
      other_id: 'integer',
    });
    expect(columns.scales?.get('price')).toBe(2);
  });

  it('encodes a row selected as text with Python bytes', async () => {
    const columns = await loadTableColumns(knex, 'samples');
    const row = await knex('samples').select(selectColumnExpressions(knex, columns)).first();

    expect(encodeRow(columns, row)).toBe(
      '{"id": 1, "small_value": 42, "big_value": 1533947986218845197, "price": "10.50", "ratio": 3.0, ' +
        '"ratio_float": 1.5, "active": true, "name": "héllo \\"q\\"\\n😀/", ' +
        '"doc": {"b": 1, "a": [1.0, 12345678901234567890], "10": "x"}, "notes": "plain text", ' +
        '"created": "2023-01-02T12:30:00.000Z", "day": "2023-01-03", "at_time": "12:30:15.500", "other_id": null}',
    );
  });

  it('encodes driver values with their known losses', async () => {
    const columns = await loadTableColumns(knex, 'samples');
    const row = await knex('samples').first();
    const encoded = encodeRow(columns, row);

    // mysql2 parses DATETIME into a Date in local time, with milliseconds only.
    expect(encoded).toContain(`"created": "${new Date(2023, 0, 2, 12, 30, 0).toISOString().replace('.000Z', 'Z')}"`);
    expect(encoded).toContain('"day": "2023-01-03"');
    expect(encoded).toContain('"active": true');
    expect(encoded).toContain('"price": "10.50"');
  });

  it('rejects a BIGINT that mysql2 rounded', async () => {
    const columns = await loadTableColumns(db.knex, 'samples');
    const row = await db.knex('samples').first();

    expect(typeof row.big_value).toBe('number');
    expect(() => normalizeColumnValue(row.big_value, columns.kinds.get('big_value') ?? 'unknown', 'big_value')).toThrow(
      /supportBigNumbers/,
    );
  });

  it('rejects blob columns', async () => {
    await knex.raw('create table blobs (id int primary key, payload blob)');
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
      const columns = await loadTableColumns(trx, 'samples');
      expect(columns.columns[0]).toBe('id');
      expect(await loadTableColumns(knex, 'samples')).toBe(columns);
    } finally {
      await trx.rollback();
    }
  });
});
