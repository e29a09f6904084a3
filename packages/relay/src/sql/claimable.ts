import { blockingRowPredicate, OUTBOX_COLUMNS as C, sqlNow } from '@kafka-streamer/core';
import type { SqlContext } from './context.js';

/**
 * SQL condition (on alias `o`) for a row that a relay may claim now, with one `??`
 * binding for the table. A row is claimable when it is not parked, its retry time
 * has come, no relay holds a valid lease on it, and no earlier row of the same key
 * is unclaimable. An earlier row blocks when another relay leases it, when it
 * waits for a retry, or, under the `hold` policy, when it is parked. Every time
 * comes from the database clock.
 */
export function claimableCondition(context: SqlContext): string {
  const now = sqlNow(context.dialect);
  const blockingRow = blockingRowPredicate('e');
  const leased = `(e.${C.claimId} IS NOT NULL AND e.${C.claimedUntil} >= ${now})`;
  const waiting = `e.${C.availableAt} > ${now}`;
  const blocking =
    context.policy === 'hold'
      ? `(e.${C.parkedAt} IS NOT NULL OR ${leased} OR ${waiting})`
      : `(e.${C.parkedAt} IS NULL AND (${leased} OR ${waiting}))`;

  return [
    `o.${C.parkedAt} IS NULL`,
    `o.${C.availableAt} <= ${now}`,
    `(o.${C.claimId} IS NULL OR o.${C.claimedUntil} < ${now})`,
    // Only claimed, parked or retried rows can block, and the outbox's partial
    // index contains only those. Repeating its predicate lets the planner use it.
    `(o.${C.key} IS NULL OR NOT EXISTS (SELECT 1 FROM ?? e WHERE e.${C.key} = o.${C.key} AND e.${C.id} < o.${C.id} AND ${blockingRow} AND ${blocking}))`,
  ].join(' AND ');
}
