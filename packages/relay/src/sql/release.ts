import { OUTBOX_COLUMNS as C } from '@kafka-streamer/core';
import { type SqlContext, unclaimed } from './context.js';
import { idChunks, rowsById, runStatement } from './statement.js';

/**
 * Gives rows of a claim back unpublished, without counting an attempt, so any
 * relay may claim them again at once. Without `ids`, releases the whole claim
 * through the claim id index. Returns the number of rows released.
 */
export async function releaseClaim(context: SqlContext, claimId: string, ids?: readonly string[]): Promise<number> {
  if (ids === undefined) {
    return runStatement(context, (db) => db(context.table).where(C.claimId, claimId).update(unclaimed()));
  }

  let released = 0;
  for (const chunk of idChunks(ids)) {
    released += await runStatement(context, (db) =>
      rowsById(context, db, chunk).andWhere(C.claimId, claimId).update(unclaimed()),
    );
  }
  return released;
}
