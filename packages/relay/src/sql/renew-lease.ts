import { OUTBOX_COLUMNS as C, sqlNowPlusMs } from '@kafka-streamer/core';
import type { SqlContext } from './context.js';
import { idChunks, rowsById, runStatement } from './statement.js';

/**
 * Extends the lease of the rows `ids` of a claim to `leaseMs` past the database
 * clock's now, and returns how many of them the claim still holds. The rows are
 * found by primary key in id order, so the renewal locks only those rows. Rows
 * already deleted or released are not counted, so a smaller number is normal.
 */
export async function renewLease(context: SqlContext, claimId: string, ids: readonly string[], leaseMs: number): Promise<number> {
  let renewed = 0;
  for (const chunk of idChunks(ids)) {
    renewed += await runStatement(context, (db) =>
      rowsById(context, db, chunk)
        .andWhere(C.claimId, claimId)
        .update({ [C.claimedUntil]: db.raw(sqlNowPlusMs(context.dialect), [leaseMs]) }),
    );
  }
  return renewed;
}
