import { OUTBOX_COLUMNS as C, sqlNowPlusMs } from '@kafka-streamer/core';
import { type SqlContext, unclaimed } from './context.js';
import { idChunks, rowsById, runStatement } from './statement.js';

/**
 * Counts a failed attempt on rows of a claim, stores the error and releases
 * them, to be claimable again `delayMs` after the database clock's now.
 */
export async function scheduleRetry(
  context: SqlContext,
  claimId: string,
  ids: readonly string[],
  delayMs: number,
  error: string,
): Promise<number> {
  let scheduled = 0;
  for (const chunk of idChunks(ids)) {
    scheduled += await runStatement(context, (db) =>
      rowsById(context, db, chunk)
        .andWhere(C.claimId, claimId)
        .update({
          ...unclaimed(),
          [C.attempts]: db.raw('?? + 1', [C.attempts]),
          [C.lastError]: error,
          [C.availableAt]: db.raw(sqlNowPlusMs(context.dialect), [Math.round(delayMs)]),
        }),
    );
  }
  return scheduled;
}
