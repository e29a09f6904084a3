import type { Logger } from 'pino';
import type { SqlContext } from './sql/context.js';
import { renewLease } from './sql/renew-lease.js';

/** A running lease renewal of one claim. */
export interface LeaseRenewal {
  /** True once a renewal found none of the claim's rows: another relay took them over. */
  readonly lost: boolean;
  stop(): void;
}

/**
 * Renews the lease of a claim every `takeoverMs / 3` while its batch is in flight,
 * so a slow but alive relay keeps its rows. A killed relay stops renewing, and its
 * rows become claimable `takeoverMs` after the last renewal. `hasPendingRows`
 * tells whether rows of the claim are still expected in the table.
 */
export function startLeaseRenewal(
  sql: SqlContext,
  claimId: string,
  takeoverMs: number,
  logger: Logger,
  hasPendingRows: () => boolean,
): LeaseRenewal {
  let lost = false;
  let running = false;

  const renew = async () => {
    if (running || lost) return;
    running = true;
    try {
      const held = await renewLease(sql, claimId, takeoverMs);
      if (held === 0 && hasPendingRows()) {
        lost = true;
        logger.warn({ claimId }, 'lease lost: another relay took over the rows of this claim; they will not be sent by this relay');
      }
    } catch (error) {
      logger.error({ err: error, claimId }, 'lease renewal failed; retrying at the next interval');
    } finally {
      running = false;
    }
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
