import { OUTBOX_COLUMNS as C } from '@kafka-streamer/core';
import { rawRows, type SqlContext } from './context.js';
import { retryOnLockConflict } from './lock-conflict.js';
import { releaseClaim } from './release.js';

/**
 * Returns the ids of the rows of a fresh claim that have an earlier row of the
 * same key outside the claim. Two relays claiming at the same time can both pass
 * the claim's "no earlier row blocks" check (one skips the rows the other has
 * locked), so this check runs after the claim is committed. Because rows stay in
 * the table until Kafka acknowledged them, an earlier unpublished row is always
 * visible here. Under the `skip` policy, parked rows do not count.
 */
export async function findOutOfOrder(context: SqlContext, claimId: string): Promise<string[]> {
  const parkedFilter = context.policy === 'skip' ? ` AND e.${C.parkedAt} IS NULL` : '';
  const sql = `SELECT CAST(c.${C.id} AS ${context.dialect === 'mysql' ? 'CHAR' : 'TEXT'}) AS id FROM ?? c
    WHERE c.${C.claimId} = ? AND c.${C.key} IS NOT NULL AND EXISTS (
      SELECT 1 FROM ?? e WHERE e.${C.key} = c.${C.key} AND e.${C.id} < c.${C.id}
      AND (e.${C.claimId} IS NULL OR e.${C.claimId} <> ?)${parkedFilter})`;

  const result = await retryOnLockConflict(() => context.knex.raw(sql, [context.table, claimId, context.table, claimId]));
  return rawRows<{ id: string }>(context, result).map((row) => String(row.id));
}

/** Releases the out-of-order rows of a fresh claim (see findOutOfOrder) by primary key, and returns their ids. */
export async function releaseOutOfOrder(context: SqlContext, claimId: string): Promise<string[]> {
  const ids = await findOutOfOrder(context, claimId);
  if (ids.length === 0) return [];

  await releaseClaim(context, claimId, ids);
  return ids;
}
