import type { ColumnKind } from './column-kind.js';

const POSTGRES_KINDS: Readonly<Record<string, ColumnKind>> = {
  int2: 'integer',
  int4: 'integer',
  int8: 'integer',
  oid: 'integer',
  float4: 'float',
  float8: 'float',
  numeric: 'decimal',
  bool: 'boolean',
  text: 'text',
  varchar: 'text',
  bpchar: 'text',
  char: 'text',
  name: 'text',
  citext: 'text',
  uuid: 'uuid',
  json: 'json',
  jsonb: 'json',
  timestamp: 'datetime',
  timestamptz: 'datetime',
  date: 'date',
  time: 'time',
  interval: 'interval',
  bytea: 'binary',
};

/** Maps a PostgreSQL `udt_name` (`int8`, `timestamptz`, `_int4` for arrays) to a kind. */
export function postgresColumnKind(udtName: string, dataType: string): ColumnKind {
  const kind = POSTGRES_KINDS[udtName];
  if (kind !== undefined) return kind;

  // Enum values come back as text.
  if (dataType === 'USER-DEFINED') return 'text';
  return 'unknown';
}

const MYSQL_KINDS: Readonly<Record<string, ColumnKind>> = {
  tinyint: 'integer',
  smallint: 'integer',
  mediumint: 'integer',
  int: 'integer',
  integer: 'integer',
  bigint: 'integer',
  year: 'integer',
  decimal: 'decimal',
  numeric: 'decimal',
  float: 'float',
  double: 'float',
  real: 'float',
  char: 'text',
  varchar: 'text',
  tinytext: 'text',
  text: 'text',
  mediumtext: 'text',
  longtext: 'text',
  enum: 'text',
  set: 'text',
  json: 'json',
  uuid: 'uuid',
  datetime: 'datetime',
  timestamp: 'datetime',
  date: 'date',
  time: 'time',
  binary: 'binary',
  varbinary: 'binary',
  tinyblob: 'binary',
  blob: 'binary',
  mediumblob: 'binary',
  longblob: 'binary',
  bit: 'binary',
};

/**
 * Maps a MySQL or MariaDB `DATA_TYPE` and `COLUMN_TYPE` to a kind. `tinyint(1)`
 * is the boolean type of both servers (mysql2 returns it as 0 or 1).
 */
export function mysqlColumnKind(dataType: string, columnType: string): ColumnKind {
  if (/^tinyint\(1\)/i.test(columnType)) return 'boolean';
  return MYSQL_KINDS[dataType.toLowerCase()] ?? 'unknown';
}

/**
 * Maps a SQLite declared type to a kind. The names Django and Knex declare are
 * recognised first. Other names follow SQLite's affinity rules: a type containing
 * INT is an integer, REAL, FLOA or DOUB a float, and CHAR, CLOB or TEXT text.
 */
export function sqliteColumnKind(declaredType: string): ColumnKind {
  const type = declaredType.toLowerCase().trim();

  if (type === '') return 'unknown';
  if (type.includes('bool')) return 'boolean';
  if (type.includes('json')) return 'json';
  if (type.includes('uuid')) return 'uuid';
  if (type.includes('datetime') || type.includes('timestamp')) return 'datetime';
  if (type.startsWith('date')) return 'date';
  if (type.startsWith('time')) return 'time';
  if (type.startsWith('decimal') || type.startsWith('numeric')) return 'decimal';
  if (type.includes('int')) return 'integer';
  if (type.includes('real') || type.includes('floa') || type.includes('doub')) return 'float';
  if (type.includes('char') || type.includes('clob') || type.includes('text')) return 'text';
  if (type.includes('blob')) return 'binary';
  return 'unknown';
}

/** Scale of a declared `decimal(10,2)` or `numeric(10, 2)`, if any. */
export function declaredScale(declaredType: string): number | undefined {
  const match = /^\s*(?:decimal|numeric)\s*\(\s*\d+\s*,\s*(\d+)\s*\)/i.exec(declaredType);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * Column names that a CHECK constraint validates with `json_valid(column)`, as
 * MariaDB declares its JSON type (an alias of LONGTEXT) and Django declares JSON
 * fields on SQLite. Identifiers may be quoted with backticks, double quotes or
 * brackets.
 */
export function jsonValidatedColumns(checkClauses: readonly string[]): Set<string> {
  const columns = new Set<string>();
  const pattern = /json_valid\s*\(\s*(?:`((?:[^`]|``)+)`|"((?:[^"]|"")+)"|\[([^\]]+)\]|(\w+))\s*\)/gi;

  for (const clause of checkClauses) {
    for (const match of clause.matchAll(pattern)) {
      const name = match[1]?.replaceAll('``', '`') ?? match[2]?.replaceAll('""', '"') ?? match[3] ?? match[4];
      if (name !== undefined) columns.add(name);
    }
  }

  return columns;
}
