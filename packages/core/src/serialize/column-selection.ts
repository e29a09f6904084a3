import type { Knex } from 'knex';
import { dialectOf } from '../outbox/dialect.js';
import type { TableColumns } from './column-kind.js';

/**
 * Builds the select list for a table's columns, in table order, under their own
 * names. Columns in `table.selectAsText` are cast to text, because the driver's
 * own parsing loses what Python keeps. pg and mysql2 parse JSON with JSON.parse,
 * which moves integer-like keys to the front and rounds big integers. They turn
 * datetimes into Dates, which drops microseconds and reads naive values in the
 * process time zone, where Django reads them as UTC. normalizeColumnValue
 * accepts both forms. `qualifier` is the table name or alias to prefix columns with.
 */
export function selectColumnExpressions(
  knexOrTrx: Knex | Knex.Transaction,
  table: TableColumns,
  qualifier?: string,
): Array<string | Knex.Raw> {
  const dialect = dialectOf(knexOrTrx);
  const cast = dialect === 'postgres' ? '??::text as ??' : 'cast(?? as char) as ??';

  return table.columns.map((column) => {
    const reference = qualifier === undefined ? column : `${qualifier}.${column}`;
    if (dialect === 'sqlite' || table.selectAsText?.has(column) !== true) return reference;
    return knexOrTrx.raw(cast, [reference, column]);
  });
}
