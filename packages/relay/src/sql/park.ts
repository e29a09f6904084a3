import { OUTBOX_COLUMNS as C, sqlNow } from '@kafka-streamer/core';
import { type SqlContext, unclaimed } from './context.js';

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
  if (ids.length === 0) return 0;
  const { knex } = context;
  const attempts = countAttempt ? knex.raw('?? + 1', [C.attempts]) : knex.raw('??', [C.attempts]);

  return knex(context.table)
    .where(C.claimId, claimId)
    .whereIn(C.id, [...ids])
    .update({
      ...unclaimed(),
      [C.attempts]: attempts,
      [C.lastError]: error,
      [C.parkedAt]: knex.raw(sqlNow(context.dialect)),
    });
}
