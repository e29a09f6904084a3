import { ConfigurationError } from '../errors/kafka-streamer-error.js';

/** Where the outbox lives. Both names are plain SQL identifiers. */
export interface OutboxTableOptions {
  /** Table name. Default `kafka_streamer_outbox`. */
  readonly table?: string;
  /** PostgreSQL schema. Default: the connection's search path. Rejected on other databases. */
  readonly schema?: string;
}

export interface OutboxTable {
  readonly table: string;
  readonly schema: string | undefined;
}

export const DEFAULT_OUTBOX_TABLE = 'kafka_streamer_outbox';

// Letters, digits and underscores, not starting with a digit, at most 63
// characters: PostgreSQL truncates longer names and MySQL allows 64.
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Validates an identifier and returns it; `what` names the option in the error. */
export function validateIdentifier(value: unknown, what: string): string {
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
    throw new ConfigurationError(
      `invalid ${what} ${JSON.stringify(value)}: expected 1 to 63 letters, digits or underscores, not starting with a digit`,
    );
  }
  return value;
}

/** Resolves and validates the outbox table name and schema. */
export function resolveOutboxTable(options: OutboxTableOptions = {}): OutboxTable {
  const table = validateIdentifier(options.table ?? DEFAULT_OUTBOX_TABLE, 'outbox table name');
  const schema = options.schema === undefined ? undefined : validateIdentifier(options.schema, 'outbox schema');
  return { table, schema };
}

/** The table reference for Knex: `schema.table` or `table`. */
export function qualifiedName(outbox: OutboxTable): string {
  return outbox.schema === undefined ? outbox.table : `${outbox.schema}.${outbox.table}`;
}
