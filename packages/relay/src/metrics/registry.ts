import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The relay's Prometheus metrics, in a registry of their own. */
export interface RelayMetrics {
  readonly registry: Registry;
  /** Rows acknowledged by Kafka and deleted, by topic. */
  readonly rowsPublished: Counter<'topic'>;
  /** Claimed batches that finished. */
  readonly batches: Counter;
  /** Time from claim to the end of a batch, in seconds. */
  readonly batchDuration: Histogram;
  /** Rows scheduled for another attempt after a failed publish. */
  readonly rowsRetried: Counter;
  /** Rows parked after their last attempt or a permanent error. */
  readonly rowsParked: Counter;
  /** Errors of the relay and of the status query, by stable code (ERR_KS_…, or the error name when it has none). */
  readonly errors: Counter<'code'>;
  readonly pendingRows: Gauge;
  readonly claimedRows: Gauge;
  readonly parkedRows: Gauge;
  /** Age of the oldest pending row in seconds; 0 when nothing is pending. */
  readonly oldestPendingAge: Gauge;
  /** 1 while the relay is ready (the /readyz condition), else 0. */
  readonly ready: Gauge;
}

const PREFIX = 'kafka_streamer_relay_';

// Batches take from a few milliseconds (one small request) to the claim lease (30 s by default).
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Creates the metrics and, with `processMetrics`, prom-client's default process metrics. */
export function createRelayMetrics(options: { processMetrics?: boolean } = {}): RelayMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: PREFIX });

  const registers = [registry];
  return {
    registry,
    rowsPublished: new Counter({
      name: `${PREFIX}rows_published_total`,
      help: 'Outbox rows acknowledged by Kafka and deleted',
      labelNames: ['topic'],
      registers,
    }),
    batches: new Counter({ name: `${PREFIX}batches_total`, help: 'Claimed batches that finished', registers }),
    batchDuration: new Histogram({
      name: `${PREFIX}batch_duration_seconds`,
      help: 'Time from claiming a batch to its last acknowledgement, retry or park, in seconds',
      buckets: DURATION_BUCKETS,
      registers,
    }),
    rowsRetried: new Counter({
      name: `${PREFIX}rows_retried_total`,
      help: 'Rows scheduled for another attempt after a failed publish',
      registers,
    }),
    rowsParked: new Counter({ name: `${PREFIX}rows_parked_total`, help: 'Rows parked by this relay', registers }),
    errors: new Counter({
      name: `${PREFIX}errors_total`,
      help: 'Errors of the relay and of the outbox status query, by error code',
      labelNames: ['code'],
      registers,
    }),
    pendingRows: new Gauge({
      name: `${PREFIX}outbox_pending_rows`,
      help: 'Outbox rows not yet published and not parked, from the last status query',
      registers,
    }),
    claimedRows: new Gauge({
      name: `${PREFIX}outbox_claimed_rows`,
      help: 'Pending rows under an unexpired claim of any relay, from the last status query',
      registers,
    }),
    parkedRows: new Gauge({
      name: `${PREFIX}outbox_parked_rows`,
      help: 'Parked outbox rows, from the last status query',
      registers,
    }),
    oldestPendingAge: new Gauge({
      name: `${PREFIX}outbox_oldest_pending_age_seconds`,
      help: 'Age of the oldest pending row on the database clock, in seconds; 0 when none is pending',
      registers,
    }),
    ready: new Gauge({ name: `${PREFIX}ready`, help: '1 when /readyz returns 200, else 0', registers }),
  };
}

/** Returns the `code` label of an error: its stable code, else its class name. */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code !== '') return code;
  if (error instanceof Error) return error.name;
  return 'UNKNOWN';
}
