import type { Logger } from 'pino';
import type { BatchSummary } from './events.js';

/** Interval of the relay's progress line, in ms. */
export const PROGRESS_INTERVAL_MS = 10_000;

interface Totals {
  batches: number;
  published: number;
  parked: number;
  retried: number;
  released: number;
}

function emptyTotals(): Totals {
  return { batches: 0, published: 0, parked: 0, retried: 0, released: 0 };
}

/**
 * Sums batch summaries and logs one info line per interval in which a batch ended,
 * so that an operator sees the relay's progress without debug logs. Quiet intervals
 * log nothing.
 */
export class ProgressLog {
  private interval = emptyTotals();
  private readonly total = emptyTotals();
  private timer: NodeJS.Timeout | undefined;
  private intervalStart = performance.now();

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = PROGRESS_INTERVAL_MS,
  ) {}

  start(): void {
    this.intervalStart = performance.now();
    this.timer = setInterval(() => this.flush(), this.intervalMs);
    this.timer.unref();
  }

  add(summary: BatchSummary): void {
    for (const totals of [this.interval, this.total]) {
      totals.batches += 1;
      totals.published += summary.published;
      totals.parked += summary.parked;
      totals.retried += summary.retried;
      totals.released += summary.released;
    }
  }

  /** Counts rows given back outside a batch summary, as at the end of a grace period. */
  addReleased(rows: number): void {
    this.interval.released += rows;
    this.total.released += rows;
  }

  /** Stops the timer, logs the last interval, and returns the totals since start. */
  stop(): Readonly<Totals> {
    clearInterval(this.timer);
    this.flush();
    return { ...this.total };
  }

  private flush(): void {
    const seconds = (performance.now() - this.intervalStart) / 1000;
    const totals = this.interval;
    this.interval = emptyTotals();
    this.intervalStart = performance.now();
    if (totals.batches === 0) return;

    const rate = seconds > 0 ? Math.round(totals.published / seconds) : 0;
    this.logger.info(
      { ...totals, seconds: Math.round(seconds * 10) / 10, messagesPerSecond: rate },
      `published ${totals.published} messages in ${totals.batches} batches (${rate}/s)`,
    );
  }
}
