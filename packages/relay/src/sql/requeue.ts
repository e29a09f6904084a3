import { OUTBOX_COLUMNS as C, dialectOf, type OutboxTable, qualifiedName, sqlNow } from '@kafka-streamer/core';
import type { Knex } from 'knex';

/** Selection of parked rows to put back: the listed ids, or every parked row. */
export type RequeueSelection = { readonly ids: readonly string[] } | { readonly all: true };

export interface RequeueResult {
  /** Rows moved from parked to pending. */
  readonly requeued: number;
  /** Requested ids that were not parked (already published, never parked, or no such id). */
  readonly notParked: readonly string[];
}

// Bound parameters per statement, under the limits of every supported driver.
const CHUNK = 500;

/**
 * Moves parked rows back to pending: `parked_at` and the claim are cleared,
 * `attempts` restarts at 0 and `available_at` is now on the database clock.
 * `last_error` is kept, so `status` still shows why the row was parked until
 * its next attempt replaces it.
 */
export async function requeueParked(knex: Knex, outbox: OutboxTable, selection: RequeueSelection): Promise<RequeueResult> {
  const table = qualifiedName(outbox);
  const changes = {
    [C.parkedAt]: null,
    [C.attempts]: 0,
    [C.availableAt]: knex.raw(sqlNow(dialectOf(knex))),
    [C.claimId]: null,
    [C.claimedBy]: null,
    [C.claimedUntil]: null,
  };

  if ('all' in selection) {
    const requeued = await knex(table).whereNotNull(C.parkedAt).update(changes);
    return { requeued, notParked: [] };
  }

  const sqlite = dialectOf(knex) === 'sqlite';
  return knex.transaction(async (trx) => {
    let requeued = 0;
    const found = new Set<string>();

    for (let start = 0; start < selection.ids.length; start += CHUNK) {
      const chunk = selection.ids.slice(start, start + CHUNK);
      const query = trx(table).select(C.id).whereNotNull(C.parkedAt).whereIn(C.id, chunk);
      // SQLite has no row locks, and its write transaction already excludes other writers.
      const parked = await (sqlite ? query : query.forUpdate());
      for (const row of parked) found.add(String(row[C.id]));
      requeued += await trx(table).whereNotNull(C.parkedAt).whereIn(C.id, chunk).update(changes);
    }

    const notParked = selection.ids.filter((id) => !found.has(id));
    return { requeued, notParked };
  });
}
