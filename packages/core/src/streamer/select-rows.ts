import type { Knex } from 'knex';
import type { TableName } from '../model/model.js';
import { loadTableColumns, selectColumnExpressions } from './serialization.js';

/**
 * Starts a query for full rows of a table, every column in table order, with the
 * columns whose driver parsing loses data (JSON, datetimes) selected as text.
 * `alias` names the table in the query, for joins.
 */
export async function selectRows(trx: Knex.Transaction, table: TableName, alias?: string): Promise<Knex.QueryBuilder> {
  const columns = await loadTableColumns(trx, table.table, table.schema);
  const from = alias === undefined ? trx(table.qualified) : trx({ [alias]: table.qualified });
  return from.select(selectColumnExpressions(trx, columns, alias));
}
