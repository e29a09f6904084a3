import type { Knex } from 'knex';
import type { OutboxMessage } from '../stream/message.js';
import { OUTBOX_COLUMNS as C, HEADER_MESSAGE_ID, HEADER_MESSAGE_TYPE } from './columns.js';
import { type Dialect, dialectOf } from './dialect.js';
import { type OutboxTable, qualifiedName } from './table.js';

// Bound parameters allowed in one statement: SQLite's SQLITE_MAX_VARIABLE_NUMBER
// default since SQLite 3.32 (better-sqlite3 12 bundles 3.53), and the 16-bit
// parameter count of the PostgreSQL and MySQL wire protocols.
const MAX_BINDINGS: Record<Dialect, number> = { sqlite: 32_766, postgres: 65_535, mysql: 65_535 };


/** Returns the JSON text of a message's headers: message-id, message-type, then the caller's headers. */
export function headersText(message: OutboxMessage): string {
  return JSON.stringify({
    [HEADER_MESSAGE_ID]: message.messageId,
    [HEADER_MESSAGE_TYPE]: message.type,
    ...message.headers,
  });
}

const COLUMN_ORDER = [C.messageId, C.topic, C.key, C.partition, C.type, C.payload, C.headers] as const;

function rowValues(message: OutboxMessage): unknown[] {
  return [
    message.messageId,
    message.topic,
    message.key,
    message.partition,
    message.type,
    message.payload,
    headersText(message),
  ];
}

// A raw multi-row VALUES list: Knex's SQLite client writes multi-row inserts as
// INSERT ... SELECT ... UNION ALL, which SQLite caps at 500 terms, while a VALUES
// list is bounded only by the parameter limit (SQLite 3.8.8 and later).
function insertStatement(trx: Knex.Transaction, outbox: OutboxTable, messages: readonly OutboxMessage[]): Knex.Raw {
  const placeholders = `(${COLUMN_ORDER.map(() => '?').join(', ')})`;
  const sql = `insert into ?? (${COLUMN_ORDER.map(() => '??').join(', ')}) values ${messages.map(() => placeholders).join(', ')}`;
  const bindings = [qualifiedName(outbox), ...COLUMN_ORDER, ...messages.flatMap(rowValues)];
  return trx.raw(sql, bindings as Knex.RawBinding[]);
}

/**
 * Inserts messages into the outbox through `trx`: one multi-row INSERT, split only
 * where the database's bound-parameter limit requires it. created_at and
 * available_at come from the column defaults, so from the database clock.
 */
export async function insertOutboxMessages(
  trx: Knex.Transaction,
  outbox: OutboxTable,
  messages: readonly OutboxMessage[],
): Promise<void> {
  if (messages.length === 0) return;

  // NOTE: a statement is also bounded in bytes (max_allowed_packet: 16 MiB by default
  // on MariaDB 10.11, 64 MiB on MySQL 8), and payload sizes are not checked against it.
  const rowsPerInsert = Math.floor((MAX_BINDINGS[dialectOf(trx)] - 1 - COLUMN_ORDER.length) / COLUMN_ORDER.length);
  for (let start = 0; start < messages.length; start += rowsPerInsert) {
    await insertStatement(trx, outbox, messages.slice(start, start + rowsPerInsert));
  }
}
