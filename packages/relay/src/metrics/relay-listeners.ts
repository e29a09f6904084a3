import type { RelayEventSource } from '../http/readiness.js';
import { errorCode, type RelayMetrics } from './registry.js';

/** Updates the counters and the batch histogram from a relay's events. */
export function observeRelay(relay: RelayEventSource, metrics: RelayMetrics): void {
  relay.on('published', ({ ids, topic }) => {
    metrics.rowsPublished.inc({ topic }, ids.length);
  });

  relay.on('batch', (summary) => {
    metrics.batches.inc();
    metrics.batchDuration.observe(summary.durationMs / 1000);
  });

  relay.on('retry', ({ ids }) => {
    metrics.rowsRetried.inc(ids.length);
  });

  relay.on('parked', () => {
    metrics.rowsParked.inc();
  });

  relay.on('error', ({ error }) => {
    metrics.errors.inc({ code: errorCode(error) });
  });
}
