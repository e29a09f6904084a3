/**
 * What a column holds, read from the database catalog. JavaScript values alone
 * cannot tell a float 3.0 from an integer 3, or a bigint returned as a string from
 * text, so encoding a column value needs its kind.
 */
export type ColumnKind =
  | 'integer'
  | 'float'
  | 'decimal'
  | 'boolean'
  | 'text'
  | 'uuid'
  | 'json'
  | 'datetime'
  | 'date'
  | 'time'
  | 'interval'
  | 'binary'
  | 'unknown';

/** A table's columns in table order, with their kinds. */
export interface TableColumns {
  readonly table: string;
  readonly columns: readonly string[];
  readonly kinds: ReadonlyMap<string, ColumnKind>;
  /** Decimal places of decimal columns, where the catalog declares them. */
  readonly scales?: ReadonlyMap<string, number>;
  /**
   * Columns whose exact value the driver loses (JSON, datetimes, dates on
   * PostgreSQL and MySQL), which selectColumnExpressions selects as text.
   */
  readonly selectAsText?: ReadonlySet<string>;
}
