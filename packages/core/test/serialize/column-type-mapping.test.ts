import { describe, expect, it } from 'vitest';
import {
  declaredScale,
  jsonValidatedColumns,
  mysqlColumnKind,
  postgresColumnKind,
  sqliteColumnKind,
} from '../../src/serialize/column-type-mapping.js';

describe('postgresColumnKind', () => {
  it('maps common udt names', () => {
    expect(postgresColumnKind('int8', 'bigint')).toBe('integer');
    expect(postgresColumnKind('float4', 'real')).toBe('float');
    expect(postgresColumnKind('numeric', 'numeric')).toBe('decimal');
    expect(postgresColumnKind('jsonb', 'jsonb')).toBe('json');
    expect(postgresColumnKind('timestamptz', 'timestamp with time zone')).toBe('datetime');
    expect(postgresColumnKind('interval', 'interval')).toBe('interval');
    expect(postgresColumnKind('bytea', 'bytea')).toBe('binary');
  });

  it('maps enums to text and arrays to unknown', () => {
    expect(postgresColumnKind('mood', 'USER-DEFINED')).toBe('text');
    expect(postgresColumnKind('_int4', 'ARRAY')).toBe('unknown');
  });
});

describe('mysqlColumnKind', () => {
  it('maps tinyint(1) to boolean', () => {
    expect(mysqlColumnKind('tinyint', 'tinyint(1)')).toBe('boolean');
    expect(mysqlColumnKind('tinyint', 'tinyint(4)')).toBe('integer');
    expect(mysqlColumnKind('tinyint', 'tinyint unsigned')).toBe('integer');
  });

  it('maps other types', () => {
    expect(mysqlColumnKind('bigint', 'bigint(20) unsigned')).toBe('integer');
    expect(mysqlColumnKind('decimal', 'decimal(10,2)')).toBe('decimal');
    expect(mysqlColumnKind('double', 'double')).toBe('float');
    expect(mysqlColumnKind('longtext', 'longtext')).toBe('text');
    expect(mysqlColumnKind('JSON', 'json')).toBe('json');
    expect(mysqlColumnKind('datetime', 'datetime(6)')).toBe('datetime');
    expect(mysqlColumnKind('varbinary', 'varbinary(16)')).toBe('binary');
    expect(mysqlColumnKind('geometry', 'geometry')).toBe('unknown');
  });
});

describe('sqliteColumnKind', () => {
  it('maps Django and Knex declared types', () => {
    const cases: Array<[string, string]> = [
      ['integer', 'integer'],
      ['bigint', 'integer'],
      ['smallint unsigned', 'integer'],
      ['bool', 'boolean'],
      ['boolean', 'boolean'],
      ['decimal(10, 2)', 'decimal'],
      ['real', 'float'],
      ['float', 'float'],
      ['double precision', 'float'],
      ['varchar(255)', 'text'],
      ['char(32)', 'text'],
      ['text', 'text'],
      ['json', 'json'],
      ['datetime', 'datetime'],
      ['timestamp', 'datetime'],
      ['date', 'date'],
      ['time', 'time'],
      ['blob', 'binary'],
      ['', 'unknown'],
    ];

    for (const [declared, kind] of cases) {
      expect(sqliteColumnKind(declared), declared).toBe(kind);
    }
  });
});

describe('declaredScale', () => {
  it('reads the scale of decimal types', () => {
    expect(declaredScale('decimal(10,2)')).toBe(2);
    expect(declaredScale('NUMERIC( 12 , 4 )')).toBe(4);
    expect(declaredScale('decimal')).toBeUndefined();
  });
});

describe('jsonValidatedColumns', () => {
  it('finds json_valid checks in any quoting', () => {
    const columns = jsonValidatedColumns([
      'json_valid(`data`)',
      'CREATE TABLE "t" ("meta" text NULL CHECK ((JSON_VALID("meta") OR "meta" IS NULL)))',
      'json_valid([raw]) and json_valid(plain)',
    ]);

    expect([...columns].sort()).toEqual(['data', 'meta', 'plain', 'raw']);
  });
});
