import type { Logger } from 'pino';
import type { SqlContext } from './sql/context.js';
import { renewLease } from './sql/renew-lease.js';
import { rowsNotHeld } from './sql/rows-not-held.js';

/** A running lease renewal of one claim. */
export interface LeaseRenewal {
  /** True once another relay took over rows that this batch has not finished. */
  readonly lost: boolean;
  stop(): void;
}

/**
 * Renews the lease of a claim every `takeoverMs / 3` while its batch is in flight,
 * so a slow but alive relay keeps its rows. A killed relay stops renewing, and its
 * rows become claimable `takeoverMs` after the last renewal. `pendingIds` returns
 * the rows the batch still holds; the batch removes a row from it before it
 * deletes, retries, parks or releases the row.
 */
export function startLeaseRenewal(
  sql: SqlContext,
  claimId: string,
  takeoverMs: number,
  logger: Logger,
  pendingIds: () => string[],
): LeaseRenewal {
  let lost = false;
  let running = false;

  const renew = async () => {
    const expected = pendingIds();
    if (running || lost || expected.length === 0) return;
    running = true;
    try {
      const held = await renewLease(sql, claimId, expected, takeoverMs);
      if (held < expected.length) lost = await takenOver(expected);
    } catch (error) {
      logger.error({ err: error, claimId }, 'lease renewal failed; retrying at the next interval');
    } finally {
      running = false;
    }
  };

  // Fewer rows held than expected is normal while a delete is under way, so only
  // rows that still exist under another claim (or none) count as taken over.
  const takenOver = async (expected: string[]): Promise<boolean> => {
    const still = new Set(pendingIds());
    const taken = (await rowsNotHeld(sql, claimId, expected)).filter((id) => still.has(id));
    if (taken.length === 0) return false;
    logger.warn(
      { claimId, outboxIds: taken },
      'lease lost: another relay took over rows of this claim; this relay will not send them',
    );
    return true;
  };

  const timer = setInterval(() => void renew(), Math.max(100, Math.floor(takeoverMs / 3)));
  timer.unref();

  return {
    get lost() {
      return lost;
    },
    stop() {
      clearInterval(timer);
    },
  };
}
