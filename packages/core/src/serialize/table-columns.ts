import type { Knex } from 'knex';
import { dialectOf } from '../outbox/dialect.js';
import type { ColumnKind, TableColumns } from './column-kind.js';
import {
  declaredScale,
  jsonValidatedColumns,
  mysqlColumnKind,
  postgresColumnKind,
  sqliteColumnKind,
} from './column-type-mapping.js';
import { TableNotFoundError } from './errors.js';

type Queryable = Knex | Knex.Transaction;

interface CatalogColumn {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly scale?: number | undefined;
  /** Whether the driver loses part of the value unless it is selected as text. */
  readonly selectAsText?: boolean;
}

/**
 * Loaded columns per Knex configuration, then per schema and table. A
 * transaction's client is a different object from its root Knex's client but
 * shares its `config` object, so the config is the key that both hit.
 */
let cache = new WeakMap<object, Map<string, Promise<TableColumns>>>();

/**
 * Loads a table's columns in table order with their kinds, from the database
 * catalog, through `knexOrTrx`, so a table created in the caller's transaction is found.
 * The result is cached per Knex configuration and table, so each table costs one
 * catalog lookup per process; call clearColumnCache after a migration.
 * `schema` defaults to the current schema (PostgreSQL), the current database
 * (MySQL) or `main` (SQLite). Rejects with TableNotFoundError when the table does
 * not exist.
 */
export function loadTableColumns(knexOrTrx: Queryable, table: string, schema?: string): Promise<TableColumns> {
  const client = knexOrTrx.client as { config?: object };
  const cacheKey = client.config ?? client;

  let tables = cache.get(cacheKey);
  if (tables === undefined) {
    tables = new Map();
    cache.set(cacheKey, tables);
  }

  const tableKey = `${schema ?? ''}\u0000${table}`;
  const cached = tables.get(tableKey);
  if (cached !== undefined) return cached;

  const loading = queryTableColumns(knexOrTrx, table, schema);
  tables.set(tableKey, loading);
  loading.catch(() => tables.delete(tableKey));
  return loading;
}

/** Forgets every loaded table, so the next load reads the catalog again. */
export function clearColumnCache(): void {
  cache = new WeakMap();
}

async function queryTableColumns(knexOrTrx: Queryable, table: string, schema?: string): Promise<TableColumns> {
  const columns = await readCatalog(knexOrTrx, table, schema);
  if (columns.length === 0) throw new TableNotFoundError(table, schema);

  const kinds = new Map<string, ColumnKind>();
  const scales = new Map<string, number>();
  const selectAsText = new Set<string>();
  for (const column of columns) {
    kinds.set(column.name, column.kind);
    if (column.kind === 'decimal' && column.scale !== undefined) scales.set(column.name, column.scale);
    if (column.selectAsText === true) selectAsText.add(column.name);
  }

  return { table, columns: columns.map((column) => column.name), kinds, scales, selectAsText };
}

function readCatalog(knexOrTrx: Queryable, table: string, schema?: string): Promise<CatalogColumn[]> {
  switch (dialectOf(knexOrTrx)) {
    case 'postgres':
      return readPostgresColumns(knexOrTrx, table, schema);
    case 'mysql':
      return readMysqlColumns(knexOrTrx, table, schema);
    case 'sqlite':
      return readSqliteColumns(knexOrTrx, table, schema);
  }
}

function optionalNumber(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}

async function readPostgresColumns(knexOrTrx: Queryable, table: string, schema?: string): Promise<CatalogColumn[]> {
  const result = await knexOrTrx.raw(
    `select column_name, data_type, udt_name, numeric_scale
       from information_schema.columns
      where table_schema = coalesce(?::text, current_schema()) and table_name = ?
      order by ordinal_position`,
    [schema ?? null, table],
  );

  return (result.rows as Record<string, unknown>[]).map((row) => {
    const kind = postgresColumnKind(String(row.udt_name), String(row.data_type));
    return {
      name: String(row.column_name),
      kind,
      scale: optionalNumber(row.numeric_scale),
      selectAsText: kind === 'json' || kind === 'datetime' || kind === 'date',
    };
  });
}

async function readMysqlColumns(knexOrTrx: Queryable, table: string, schema?: string): Promise<CatalogColumn[]> {
  const [rows] = await knexOrTrx.raw(
    `select column_name as name, data_type as data_type, column_type as column_type,
            numeric_scale as numeric_scale
       from information_schema.columns
      where table_schema = coalesce(?, database()) and table_name = ?
      order by ordinal_position`,
    [schema ?? null, table],
  );

  const columns = (rows as Record<string, unknown>[]).map((row) => {
    const dataType = String(row.data_type).toLowerCase();
    const kind = mysqlColumnKind(dataType, String(row.column_type));
    return {
      name: String(row.name),
      kind,
      scale: optionalNumber(row.numeric_scale),
      longtext: dataType === 'longtext',
      // TIMESTAMP text is in the session time zone without an offset, so it stays a Date.
      selectAsText: kind === 'json' || kind === 'date' || dataType === 'datetime',
    };
  });

  if (!columns.some((column) => column.longtext)) return columns;

  const jsonColumns = jsonValidatedColumns(await readMariadbChecks(knexOrTrx, table, schema));
  return columns.map((column) => {
    return jsonColumns.has(column.name) ? { ...column, kind: 'json', selectAsText: true } : column;
  });
}

/**
 * CHECK clauses of a table on MariaDB, where a JSON column is a LONGTEXT with a
 * `json_valid` check. MySQL has no TABLE_NAME in CHECK_CONSTRAINTS, and needs
 * none because its JSON columns have their own type.
 */
async function readMariadbChecks(knexOrTrx: Queryable, table: string, schema?: string): Promise<string[]> {
  try {
    const [rows] = await knexOrTrx.raw(
      `select check_clause as check_clause
         from information_schema.check_constraints
        where constraint_schema = coalesce(?, database()) and table_name = ?`,
      [schema ?? null, table],
    );
    return (rows as Record<string, unknown>[]).map((row) => String(row.check_clause));
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ER_BAD_FIELD_ERROR') return [];
    throw error;
  }
}

async function readSqliteColumns(knexOrTrx: Queryable, table: string, schema?: string): Promise<CatalogColumn[]> {
  const schemaName = schema ?? 'main';
  const rows = (await knexOrTrx.raw('select name, type from pragma_table_info(?, ?) order by cid', [
    table,
    schemaName,
  ])) as Record<string, unknown>[];

  const columns = rows.map((row) => ({
    name: String(row.name),
    kind: sqliteColumnKind(String(row.type ?? '')),
    scale: declaredScale(String(row.type ?? '')),
  }));
  if (!columns.some((column) => column.kind === 'text')) return columns;

  // Django declares JSON fields on SQLite as text with a json_valid check.
  const master = `"${schemaName.replaceAll('"', '""')}".sqlite_master`;
  const tables = (await knexOrTrx.raw(`select sql from ${master} where type = 'table' and name = ?`, [
    table,
  ])) as Record<string, unknown>[];
  const jsonColumns = jsonValidatedColumns(tables.map((row) => String(row.sql ?? '')));
  return columns.map((column) => (jsonColumns.has(column.name) ? { ...column, kind: 'json' } : column));
}
