import type { BenchSettings } from '../lib/args.js';
import { backlogMessages, fillOutbox } from '../lib/backlog.js';
import { benchTopic, produceFromMemory, relayLikeProducer } from '../lib/kafka.js';
import { drainInProcess } from '../lib/relay-run.js';
import { createTestDatabase, type TestDialect } from '../../test/support/databases.js';

// The relay's default batch size. The client keeps two batches in flight, so that
// its rate is the client's limit and not a copy of the relay's default of one.
const BATCH_SIZE = 500;
const BATCHES_IN_FLIGHT = 2;

export interface DrainMeasure {
  readonly rows: number;
  readonly clientRate: number;
  readonly relayRate: Partial<Record<TestDialect, number>>;
  readonly relayVsClient: number;
  readonly relayVsClientByDialect: Partial<Record<TestDialect, number>>;
  /** PostgreSQL relay with two batches in flight (two lanes of keys), against the client. */
  readonly relayVsClientTwoInFlight: number;
  readonly relayRateTwoInFlight: number;
}

/** Messages per second of KafkaJS sending the backlog's messages straight from memory. */
export async function measureClientRate(rows: number, settings: BenchSettings): Promise<number> {
  const topic = await benchTopic('client');
  const messages = backlogMessages({ topic, rows, keys: settings.keys, payloadBytes: settings.payloadBytes });
  const producer = await relayLikeProducer('ks-bench-client');
  try {
    const ms = await produceFromMemory(producer, topic, messages, BATCH_SIZE, BATCHES_IN_FLIGHT);
    return (rows / ms) * 1000;
  } finally {
    await producer.disconnect();
  }
}

/**
 * Messages per second of an in-process relay with default settings draining a filled
 * backlog; a drain that hits the time limit is rated on the rows it published.
 */
export async function measureRelayRate(
  dialect: TestDialect,
  rows: number,
  settings: BenchSettings,
  log: (line: string) => void,
  batchesInFlight = settings.batchesInFlight,
): Promise<number> {
  const db = await createTestDatabase(dialect, 'ks_bench_drain');
  try {
    const topic = await benchTopic(`relay-${dialect}`);
    await fillOutbox(db.knex, { topic, rows, keys: settings.keys, payloadBytes: settings.payloadBytes });
    const overrides = batchesInFlight === undefined ? {} : { maxBatchesInFlight: batchesInFlight };
    const result = await drainInProcess(db.knex, rows, settings.processDrainMs, overrides);
    if (!result.finished) log(`${dialect}: time limit reached after ${result.published} of ${rows} rows; rated on those`);
    return result.rate;
  } finally {
    await db.destroy();
  }
}

/**
 * Drain throughput against the client's limit: the PostgreSQL relay against the
 * client on `rows`, then MariaDB and SQLite on `otherDialectRows` against the same client rate.
 */
export async function measureDrain(settings: BenchSettings, log: (line: string) => void): Promise<DrainMeasure> {
  const clientRate = await measureClientRate(settings.rows, settings);
  log(`client: ${Math.round(clientRate)} msg/s over ${settings.rows} messages`);

  const relayRate: Partial<Record<TestDialect, number>> = {};
  relayRate.postgres = await measureRelayRate('postgres', settings.rows, settings, log);
  log(`relay on postgres: ${Math.round(relayRate.postgres)} msg/s`);
  const relayRateTwoInFlight = await measureRelayRate('postgres', settings.rows, settings, log, 2);
  log(`relay on postgres, 2 batches in flight: ${Math.round(relayRateTwoInFlight)} msg/s`);
  for (const dialect of ['mysql', 'sqlite'] as const) {
    relayRate[dialect] = await measureRelayRate(dialect, settings.otherDialectRows, settings, log);
    log(`relay on ${dialect}: ${Math.round(relayRate[dialect] as number)} msg/s over ${settings.otherDialectRows} rows`);
  }

  const relayVsClientByDialect: Partial<Record<TestDialect, number>> = {};
  for (const [dialect, rate] of Object.entries(relayRate)) relayVsClientByDialect[dialect as TestDialect] = (rate as number) / clientRate;
  return {
    rows: settings.rows,
    clientRate,
    relayRate,
    relayVsClient: (relayRate.postgres as number) / clientRate,
    relayVsClientByDialect,
    relayRateTwoInFlight,
    relayVsClientTwoInFlight: relayRateTwoInFlight / clientRate,
  };
}
