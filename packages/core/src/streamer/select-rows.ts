import type { Knex } from 'knex';
import type { TableName } from '../model/model.js';
import { loadTableColumns, selectColumnExpressions, type TableColumns } from './serialization.js';

/** Loads the columns of a model's table (cached after the first catalog query). */
export function columnsOf(trx: Knex.Transaction, table: TableName): Promise<TableColumns> {
  return loadTableColumns(trx, table.table, table.schema);
}

/**
 * Starts a query for full rows of a table, every column in table order, with the
 * columns whose driver parsing loses data (JSON, datetimes) selected as text.
 * `alias` names the table in the query, for joins.
 */
export function selectRows(trx: Knex.Transaction, table: TableName, columns: TableColumns, alias?: string): Knex.QueryBuilder {
  const from = alias === undefined ? trx(table.qualified) : trx({ [alias]: table.qualified });
  return from.select(selectColumnExpressions(trx, columns, alias));
}
