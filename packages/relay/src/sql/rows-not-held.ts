import { OUTBOX_COLUMNS as C } from '@kafka-streamer/core';
import type { SqlContext } from './context.js';

/** Returns the ids among `ids` whose rows still exist but are no longer held by `claimId`. */
export async function rowsNotHeld(context: SqlContext, claimId: string, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await context
    .knex(context.table)
    .select(C.id)
    .whereIn(C.id, [...ids])
    .andWhere((query) => query.whereNull(C.claimId).orWhereNot(C.claimId, claimId));
  return rows.map((row: Record<string, unknown>) => String(row[C.id]));
}
