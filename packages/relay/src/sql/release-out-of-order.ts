import { OUTBOX_COLUMNS as C } from '@kafka-streamer/core';
import { rawRows, type SqlContext, unclaimed } from './context.js';

/**
 * Releases the rows of a fresh claim that have an earlier row of the same key
 * outside the claim, and returns their ids. Two relays claiming at the same time
 * can both pass the claim's "no earlier row blocks" check (one skips the rows the
 * other has locked), so this check runs after the claim is committed. Because rows
 * stay in the table until Kafka acknowledged them, an earlier unpublished row is
 * always visible here. Under the `skip` policy, parked rows do not count.
 */
export async function releaseOutOfOrder(context: SqlContext, claimId: string): Promise<string[]> {
  const parkedFilter = context.policy === 'skip' ? ` AND e.${C.parkedAt} IS NULL` : '';
  const sql = `SELECT CAST(c.${C.id} AS ${context.dialect === 'mysql' ? 'CHAR' : 'TEXT'}) AS id FROM ?? c
    WHERE c.${C.claimId} = ? AND c.${C.key} IS NOT NULL AND EXISTS (
      SELECT 1 FROM ?? e WHERE e.${C.key} = c.${C.key} AND e.${C.id} < c.${C.id}
      AND (e.${C.claimId} IS NULL OR e.${C.claimId} <> ?)${parkedFilter})`;

  const result = await context.knex.raw(sql, [context.table, claimId, context.table, claimId]);
  const ids = rawRows<{ id: string }>(context, result).map((row) => String(row.id));
  if (ids.length === 0) return [];

  await context
    .knex(context.table)
    .whereIn(C.id, ids)
    .andWhere(C.claimId, claimId)
    .update(unclaimed());
  return ids;
}
