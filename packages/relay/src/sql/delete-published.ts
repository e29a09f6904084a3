import { OUTBOX_COLUMNS as C } from '@kafka-streamer/core';
import type { SqlContext } from './context.js';

/**
 * Deletes rows that Kafka acknowledged. Rows are deleted rather than marked so
 * that the table and its (message_key, id) index hold only pending and parked
 * rows, which keeps the claim query fast. The claim id is not checked: once Kafka
 * has the message, the row is done, whichever relay holds its claim now.
 */
export async function deletePublished(context: SqlContext, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  return context.knex(context.table).whereIn(C.id, [...ids]).del();
}
