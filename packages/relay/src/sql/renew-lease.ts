import { OUTBOX_COLUMNS as C, sqlNowPlusMs } from '@kafka-streamer/core';
import type { SqlContext } from './context.js';

/**
 * Extends the lease of a claim to `leaseMs` past the database clock's now, and
 * returns how many rows it still holds. Rows already deleted or released are not
 * counted, so a smaller number is normal; zero with rows left means another relay
 * took the claim over.
 */
export async function renewLease(context: SqlContext, claimId: string, leaseMs: number): Promise<number> {
  return context
    .knex(context.table)
    .where(C.claimId, claimId)
    .update({ [C.claimedUntil]: context.knex.raw(sqlNowPlusMs(context.dialect), [leaseMs]) });
}
