import { OUTBOX_COLUMNS as C, sqlNowPlusMs } from '@kafka-streamer/core';
import { type SqlContext, unclaimed } from './context.js';

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
  if (ids.length === 0) return 0;
  const { knex } = context;

  return knex(context.table)
    .where(C.claimId, claimId)
    .whereIn(C.id, [...ids])
    .update({
      ...unclaimed(),
      [C.attempts]: knex.raw('?? + 1', [C.attempts]),
      [C.lastError]: error,
      [C.availableAt]: knex.raw(sqlNowPlusMs(context.dialect), [Math.round(delayMs)]),
    });
}
