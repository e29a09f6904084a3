import { OUTBOX_COLUMNS as C } from '@kafka-streamer/core';
import type { SqlContext } from './context.js';

/**
 * One of `count` disjoint parts of the outbox's keys. A relay with several batches
 * in flight gives each batch its own lane. A claim then skips the rows of its
 * relay's other batches with a cheap hash test. Without lanes it would run the
 * per-key order check on each of those rows.
 */
export interface Lane {
  /** From 0 to `count - 1`. */
  readonly index: number;
  readonly count: number;
}

/**
 * Returns SQL for a non-negative integer hash of `o.message_key`. The hash only
 * spreads keys over lanes. Per-key order is kept by the claim's order check,
 * whatever lane a row falls in.
 */
function keyHash(context: SqlContext): string {
  const key = `o.${C.key}`;
  switch (context.dialect) {
    case 'postgres':
      return `(hashtext(${key})::bigint + 2147483648)`;
    case 'mysql':
      return `CRC32(${key})`;
    case 'sqlite':
      // SQLite has no hash function. The length and the last two characters
      // spread keys that share a prefix, such as `order-17` and `order-18`.
      return `(length(${key}) + unicode(substr(${key}, -1)) + 31 * coalesce(unicode(substr(${key}, -2, 1)), 0))`;
  }
}

/**
 * Returns the SQL condition (on alias `o`) for a row of `lane`, or `1 = 1` without
 * lanes. Rows without a key have no order to keep and are spread by id.
 */
export function laneCondition(context: SqlContext, lane: Lane | undefined): string {
  if (lane === undefined || lane.count <= 1) return '1 = 1';
  if (!Number.isInteger(lane.index) || !Number.isInteger(lane.count) || lane.index < 0 || lane.index >= lane.count) {
    throw new RangeError(`invalid lane ${lane.index} of ${lane.count}: expected an integer from 0 to ${lane.count - 1}`);
  }

  const { index, count } = lane;
  return `(CASE WHEN o.${C.key} IS NULL THEN o.${C.id} % ${count} ELSE ${keyHash(context)} % ${count} END) = ${index}`;
}
