import { OUTBOX_COLUMNS as C } from '@kafka-streamer/core';
import { type SqlContext, unclaimed } from './context.js';

/**
 * Gives rows of a claim back unpublished, without counting an attempt, so any
 * relay may claim them again at once. Without `ids`, releases the whole claim.
 * Returns the number of rows released.
 */
export async function releaseClaim(context: SqlContext, claimId: string, ids?: readonly string[]): Promise<number> {
  const query = context.knex(context.table).where(C.claimId, claimId);
  if (ids !== undefined) {
    if (ids.length === 0) return 0;
    query.whereIn(C.id, [...ids]);
  }
  return query.update(unclaimed());
}
