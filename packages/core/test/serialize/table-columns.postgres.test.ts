import type { Knex } from 'knex';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/databases.js';
import { selectColumnExpressions } from '../../src/serialize/column-selection.js';
import { encodeMessage } from '../../src/serialize/encode.js';
import { normalizeColumnValue } from '../../src/serialize/normalize.js';
import { clearColumnCache, loadTableColumns } from '../../src/serialize/table-columns.js';
import type { TableColumns } from '../../src/serialize/column-kind.js';

const CREATE_SAMPLES = `
  create table samples (
    id serial primary key,
    small_value integer,
    big_value bigint,
    price numeric(10, 2),
    ratio double precision,
    ratio_real real,
    active boolean,
    name varchar(100),
    uid uuid,
    doc json,
    docb jsonb,
    created timestamp,
    created_tz timestamptz,
    day date,
    at_time time,
    span interval,
    other_id integer null
  )`;

const ROW = {
  small_value: 42,
  big_value: '1533947986218845197',
  price: '10.50',
  ratio: 3.0,
  ratio_real: 0.1,
  active: true,
  name: 'héllo "q"\n😀/',
  uid: 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
  doc: '{"b": 1, "a": [1.0, 12345678901234567890], "10": "x"}',
  docb: '{"b": 1, "a": [1.0, 12345678901234567890], "10": "x"}',
  created: '2023-01-02 12:30:00.123456',
  created_tz: '2023-01-02 12:30:00.000005+00',
  day: '2023-01-03',
  at_time: '12:30:15.5',
  span: '1 day 5.000007 seconds',
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

describe('loadTableColumns on postgres', () => {
  let db: TestDatabase;
  let knex: Knex;

  beforeAll(async () => {
    db = await createTestDatabase('postgres', 'ks_serialize');
    knex = db.knex;
    await knex.raw(CREATE_SAMPLES);
    await knex('samples').insert(ROW);
  });

  afterAll(async () => {
    await db?.destroy();
  });

  beforeEach(() => {
    clearColumnCache();
  });

  it('lists columns in table order with kinds', async () => {
    const columns = await loadTableColumns(knex, 'samples');

    expect(columns.table).toBe('samples');
    expect(columns.columns).toEqual(['id', ...Object.keys(ROW)]);
    expect(Object.fromEntries(columns.kinds)).toEqual({
      id: 'integer',
      small_value: 'integer',
      big_value: 'integer',
      price: 'decimal',
      ratio: 'float',
      ratio_real: 'float',
      active: 'boolean',
      name: 'text',
      uid: 'uuid',
      doc: 'json',
      docb: 'json',
      created: 'datetime',
      created_tz: 'datetime',
      day: 'date',
      at_time: 'time',
      span: 'interval',
      other_id: 'integer',
    });
    expect(columns.scales?.get('price')).toBe(2);
  });

  it('encodes a row selected as text with Python bytes', async () => {
    const columns = await loadTableColumns(knex, 'samples');
    const row = await knex('samples').select(selectColumnExpressions(knex, columns)).first();

    expect(encodeRow(columns, row)).toBe(
      '{"id": 1, "small_value": 42, "big_value": 1533947986218845197, "price": "10.50", "ratio": 3.0, ' +
        '"ratio_real": 0.1, "active": true, "name": "héllo \\"q\\"\\n😀/", ' +
        '"uid": "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", ' +
        '"doc": {"b": 1, "a": [1.0, 12345678901234567890], "10": "x"}, ' +
        '"docb": {"a": [1.0, 12345678901234567890], "b": 1, "10": "x"}, ' +
        '"created": "2023-01-02T12:30:00.123Z", "created_tz": "2023-01-02T12:30:00.000Z", ' +
        '"day": "2023-01-03", "at_time": "12:30:15.500", "span": "P1DT00H00M05.000007S", "other_id": null}',
    );
  });

  it('reads offsets of the session time zone', async () => {
    const columns = await loadTableColumns(knex, 'samples');

    const row = await knex.transaction(async (trx) => {
      await trx.raw("set local time zone 'Asia/Kolkata'");
      return trx('samples').select(selectColumnExpressions(trx, columns, 'samples')).first();
    });

    expect(row.created_tz).toBe('2023-01-02 18:00:00.000005+05:30');
    expect(normalizeColumnValue(row.created_tz, 'datetime', 'created_tz')).toBe('2023-01-02T12:30:00.000Z');
  });

  it('reads historic offsets with seconds', async () => {
    const text = await knex.transaction(async (trx) => {
      await trx.raw("set local time zone 'Asia/Kolkata'");
      const row = await trx.first(trx.raw("(timestamptz '1850-01-01 00:00:00+00')::text as at"));
      return row.at as string;
    });

    expect(text).toMatch(/\+05:53:28$/);
    expect(normalizeColumnValue(text, 'datetime', 'at')).toBe('1850-01-01T00:00:00Z');
  });

  it('encodes driver values with their known losses', async () => {
    const columns = await loadTableColumns(knex, 'samples');
    const row = await knex('samples').select('*').first();
    const encoded = encodeRow(columns, row);

    // pg parses timestamps into Dates (milliseconds only, naive ones in local time).
    const created = new Date(2023, 0, 2, 12, 30, 0, 123).toISOString();
    expect(encoded).toContain(`"created": "${created}"`);
    expect(encoded).toContain('"created_tz": "2023-01-02T12:30:00Z"');
    expect(encoded).toContain('"day": "2023-01-03"');
    expect(encoded).toContain('"big_value": 1533947986218845197, "price": "10.50", "ratio": 3.0');
    // pg parses JSON with JSON.parse: integer-like keys first, big integers rounded.
    expect(encoded).toContain('"doc": {"10": "x", "b": 1, "a": [1, 12345678901234567168]}');
  });

  it('rejects bytea columns', async () => {
    await knex.raw('create table blobs (id integer primary key, payload bytea)');
    await knex('blobs').insert({ id: 1, payload: Buffer.from([1, 2]) });
    const columns = await loadTableColumns(knex, 'blobs');
    const row = await knex('blobs').first();

    expect(columns.kinds.get('payload')).toBe('binary');
    expect(() => normalizeColumnValue(row.payload, 'binary', 'payload')).toThrow(/"payload"/);
  });

  it('writes tiny numerics as Python Decimals', async () => {
    const row = await knex.first(
      knex.raw("0::numeric(20, 8) as zero, 0.0000001::numeric(20, 8) as tiny, 0.000001::numeric as small"),
    );

    expect(normalizeColumnValue(row.zero, 'decimal', 'zero')).toBe('0E-8');
    expect(normalizeColumnValue(row.tiny, 'decimal', 'tiny')).toBe('1.0E-7');
    expect(normalizeColumnValue(row.small, 'decimal', 'small')).toBe('0.000001');
  });

  it('rejects intervals with months', async () => {
    const row = await knex.first(knex.raw("interval '1 month 2 days' as span"));

    expect(() => normalizeColumnValue(row.span, 'interval', 'span')).toThrow(/months/);
  });

  it('writes a negative interval', async () => {
    const row = await knex.first(knex.raw("interval '-23:59:55' as span"));

    expect(normalizeColumnValue(row.span, 'interval', 'span')).toBe('-P0DT23H59M55S');
  });

  it('rejects a missing table with its name', async () => {
    const error = await loadTableColumns(knex, 'no_such_table').catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'ERR_KS_TABLE_NOT_FOUND', table: 'no_such_table' });
    expect((error as Error).message).toContain('"no_such_table"');
  });

  it('reads a table in another schema', async () => {
    await knex.raw('create schema other');
    await knex.raw('create table other.samples (code text, amount numeric(12, 4))');
    const columns = await loadTableColumns(knex, 'samples', 'other');

    expect(columns.columns).toEqual(['code', 'amount']);
    expect(columns.scales?.get('amount')).toBe(4);
  });

  it('queries the catalog once per table', async () => {
    const queries: string[] = [];
    const listener = (query: { sql: string }) => queries.push(query.sql);
    knex.on('query', listener);

    try {
      const first = await loadTableColumns(knex, 'samples');
      const inTransaction = await knex.transaction((trx) => loadTableColumns(trx, 'samples'));
      const again = await loadTableColumns(knex, 'samples');

      expect(inTransaction).toBe(first);
      expect(again).toBe(first);
      expect(queries.filter((sql) => sql.includes('information_schema'))).toHaveLength(1);
    } finally {
      knex.off('query', listener);
    }
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

  it('loads again after clearColumnCache', async () => {
    const first = await loadTableColumns(knex, 'samples');
    clearColumnCache();

    expect(await loadTableColumns(knex, 'samples')).not.toBe(first);
  });
});
