import { OUTBOX_COLUMNS as C, sqlNow } from '@kafka-streamer/core';
import { type SqlContext, unclaimed } from './context.js';
import { idChunks, rowsById, runStatement } from './statement.js';

/**
 * Parks rows of a claim: they stay in the table with the error and are never
 * claimed again until requeued. `countAttempt` adds the failed attempt that
 * led to parking.
 */
export async function parkRows(
  context: SqlContext,
  claimId: string,
  ids: readonly string[],
  error: string,
  countAttempt = true,
): Promise<number> {
  let parked = 0;
  for (const chunk of idChunks(ids)) {
    parked += await runStatement(context, (db) =>
      rowsById(context, db, chunk)
        .andWhere(C.claimId, claimId)
        .update({
          ...unclaimed(),
          [C.attempts]: countAttempt ? db.raw('?? + 1', [C.attempts]) : db.raw('??', [C.attempts]),
          [C.lastError]: error,
          [C.parkedAt]: db.raw(sqlNow(context.dialect)),
        }),
    );
  }
  return parked;
}
