import { ConfigurationError } from '../errors/kafka-streamer-error.js';
import { validateIdentifier } from '../outbox/table.js';
import type { RelationDefinition } from './relations.js';

/** A database row as Knex returns it. */
export type Row = Record<string, unknown>;

/**
 * A model: a class with a static `tableName`, as in Objection.js. Its instances carry
 * the row's columns as properties. `relations` (this library's format) or Objection's
 * `relationMappings` describe how it joins other models; `idColumn` names the
 * primary key when it is not `id` and no streamer sets `idField`.
 */
export interface ModelClass {
  // biome-ignore lint/suspicious/noExplicitAny: a model constructor may take any arguments
  new (...args: any[]): object;
  readonly name: string;
  readonly tableName: string;
  readonly relations?: Readonly<Record<string, RelationDefinition>>;
  readonly relationMappings?: unknown;
  readonly idColumn?: unknown;
}

/** A table reference split into schema and table, both validated. */
export interface TableName {
  readonly schema: string | undefined;
  readonly table: string;
  /** `schema.table` or `table`, as Knex takes it. */
  readonly qualified: string;
}

/** Validates `tableName` (`table` or `schema.table`) of a model. */
export function modelTable(model: ModelClass): TableName {
  const raw: unknown = model.tableName;
  if (typeof raw !== 'string') {
    throw new ConfigurationError(
      `model ${model.name} has no static tableName: add \`static tableName = 'table_name'\` to the class`,
    );
  }
  return parseTableName(raw, `tableName of model ${model.name}`);
}

/** Parses `table` or `schema.table` into validated identifiers. */
export function parseTableName(raw: string, what: string): TableName {
  const parts = raw.split('.');
  if (parts.length > 2) validateIdentifier(raw, what);

  const table = validateIdentifier(parts[parts.length - 1], what);
  const schema = parts.length === 2 ? validateIdentifier(parts[0], what) : undefined;
  return { schema, table, qualified: schema === undefined ? table : `${schema}.${table}` };
}

/** Returns the primary key column of a model: its static `idColumn` (a string), else `id`. */
export function modelIdColumn(model: ModelClass): string {
  const column = model.idColumn;
  if (column === undefined) return 'id';
  if (typeof column !== 'string') {
    throw new ConfigurationError(`idColumn of model ${model.name} must be one column name; composite keys are not supported`);
  }
  return validateIdentifier(column, `idColumn of model ${model.name}`);
}

/** Returns whether a value is a class that can serve as a model (it has a static tableName). */
export function isModelClass(value: unknown): value is ModelClass {
  return typeof value === 'function' && typeof (value as { tableName?: unknown }).tableName === 'string';
}
