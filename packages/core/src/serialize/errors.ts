import { KafkaStreamerError } from '../errors/kafka-streamer-error.js';

/**
 * A value that the message encoder cannot write as JSON: NaN, Infinity, binary
 * data, functions, symbols, circular structures, out-of-range dates. `field` is
 * the path of the value in the message (`price`, `other.price`, `items[0]`).
 */
export class UnserializableValueError extends KafkaStreamerError {
  readonly field: string;

  constructor(field: string, message: string, options?: { cause?: unknown }) {
    super('ERR_KS_UNSERIALIZABLE', `field ${JSON.stringify(field)}: ${message}`, options);
    this.field = field;
  }
}

/** A table whose columns were requested is not in the database catalog. */
export class TableNotFoundError extends KafkaStreamerError {
  readonly table: string;

  constructor(table: string, schema: string | undefined) {
    const where = schema === undefined ? 'the default schema' : `schema ${JSON.stringify(schema)}`;
    super(
      'ERR_KS_TABLE_NOT_FOUND',
      `table ${JSON.stringify(table)} not found in ${where}: create it first or fix the table name`,
    );
    this.table = table;
  }
}

/** Renders a value for an error message, keeping it short. */
export function describeValue(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}...` : value);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (typeof value === 'symbol' || typeof value === 'function') return String(value);
  if (value instanceof Date) return `Date(${Number.isNaN(value.getTime()) ? 'Invalid' : value.toISOString()})`;
  return Object.prototype.toString.call(value);
}
