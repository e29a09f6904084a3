import type { OutboxTable } from '@kafka-streamer/core';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { queryOutboxCounts } from '../sql/status.js';
import { errorCode, type RelayMetrics } from './registry.js';

export interface StatusPollerOptions {
  readonly knex: Knex;
  readonly outbox: OutboxTable;
  readonly metrics: RelayMetrics;
  readonly intervalMs: number;
  readonly logger: Logger;
}

export interface StatusPoller {
  /** Runs one query now; resolves when the gauges are updated or the query failed. */
  refresh(): Promise<void>;
  /** Stops the timer and waits for a query that is still running. */
  stop(): Promise<void>;
}

// Repeated failures of the status query are logged at most once a minute.
const REPEAT_LOG_MS = 60_000;

/**
 * Refreshes the pending, claimed, parked and oldest-age gauges every
 * `intervalMs`. The timer is unref'd so that it never keeps the process alive,
 * and a query never starts while the previous one still runs.
 */
export function startStatusPoller(options: StatusPollerOptions): StatusPoller {
  const { metrics, logger } = options;
  let running: Promise<void> | undefined;
  let failures = 0;
  let lastLoggedAt = 0;

  async function query(): Promise<void> {
    try {
      const counts = await queryOutboxCounts(options.knex, options.outbox);
      metrics.pendingRows.set(counts.pending);
      metrics.claimedRows.set(counts.claimed);
      metrics.parkedRows.set(counts.parked);
      metrics.oldestPendingAge.set(counts.oldestPendingAgeSeconds ?? 0);
      if (failures > 0) logger.info({ failures }, 'outbox status query works again');
      failures = 0;
    } catch (error) {
      failures++;
      metrics.errors.inc({ code: errorCode(error) });
      if (failures === 1 || Date.now() - lastLoggedAt >= REPEAT_LOG_MS) {
        lastLoggedAt = Date.now();
        logger.warn({ err: error, failures }, 'outbox status query failed; the outbox gauges keep their last values');
      }
    }
  }

  function refresh(): Promise<void> {
    running ??= query().finally(() => {
      running = undefined;
    });
    return running;
  }

  const timer = setInterval(() => void refresh(), options.intervalMs);
  timer.unref();
  void refresh();

  return {
    refresh,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
