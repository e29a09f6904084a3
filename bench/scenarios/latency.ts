import { createRegistry, migrateOutbox } from '@kafka-streamer/core';
import type { Kafka, Producer, ProducerBatch } from 'kafkajs';
import type { BenchSettings } from '../lib/args.js';
import { benchKafka, benchTopic } from '../lib/kafka.js';
import { quantile } from '../lib/stats.js';
import { createRelay, type RelayOptions } from '../../packages/relay/src/index.js';
import { createTestDatabase } from '../../test/support/databases.js';

class Reading {
  static tableName = 'readings';
  id?: unknown;
}

// Messages committed in the first seconds (a quarter of a short run) are left out: the
// relay and the pools warm up then.
const WARM_UP_MS = 2000;
const DRAIN_WAIT_MS = 15_000;

export interface LatencyCase {
  readonly pollIntervalMs: number | 'default';
  readonly messages: number;
  /** Messages committed per second; below the requested rate when the database fell behind. */
  readonly committedRate: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Messages committed but never acknowledged within the wait after the load stopped. */
  readonly missing: number;
}

export interface LatencyMeasure {
  readonly rate: number;
  readonly messagesPerTransaction: number;
  readonly durationMs: number;
  readonly cases: LatencyCase[];
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
}

/**
 * A KafkaJS client whose producers record when Kafka acknowledged each message,
 * by its message-id header. The producer settings stay the relay's own.
 */
function timedKafka(ackedAt: Map<string, number>): Kafka {
  const kafka = benchKafka('ks-bench-latency');
  const createProducer = kafka.producer.bind(kafka);
  kafka.producer = (config) => {
    const producer: Producer = createProducer(config);
    const sendBatch = producer.sendBatch.bind(producer);
    producer.sendBatch = async (batch: ProducerBatch) => {
      const result = await sendBatch(batch);
      const now = performance.now();
      for (const entry of batch.topicMessages ?? []) {
        for (const message of entry.messages) ackedAt.set(String(message.headers?.['message-id']), now);
      }
      return result;
    };
    return producer;
  };
  return kafka;
}

async function runCase(settings: BenchSettings, overrides: Partial<RelayOptions>): Promise<LatencyCase> {
  const db = await createTestDatabase('postgres', 'ks_bench_latency');
  const committedAt = new Map<string, number>();
  const ackedAt = new Map<string, number>();
  try {
    await migrateOutbox(db.knex);
    await db.knex.schema.createTable('readings', (t) => {
      t.increments('id');
      t.string('sensor', 50);
      t.double('value');
    });
    const topic = await benchTopic('latency');
    const registry = createRegistry();
    registry.register(Reading, { topic });

    // The relay gets a pool of its own, as a separate relay process would: on the shared pool
    // its claims would queue behind the load's transactions.
    const database = { client: 'pg' as const, connection: db.url };
    const relay = createRelay({ database, kafka: timedKafka(ackedAt), ...overrides });
    await relay.start();

    const perTransaction = settings.latencyBatch;
    const commit = async (first: number) => {
      const ids = await db.knex.transaction(async (trx) => {
        const values = Array.from({ length: perTransaction }, (_, offset) => ({ sensor: `sensor-${(first + offset) % settings.keys}`, value: first + offset }));
        const rows = await trx('readings').insert(values).returning('*');
        return registry.streamCreate(trx, rows, { model: Reading });
      });
      const now = performance.now();
      for (const id of ids) committedAt.set(id, now);
    };

    // Transactions of `perTransaction` messages, started on a fixed schedule of `latencyRate` messages per second.
    const start = performance.now();
    const pending = new Set<Promise<void>>();
    let started = 0;
    while (performance.now() - start < settings.latencyMs) {
      const due = Math.floor(((performance.now() - start) * settings.latencyRate) / 1000);
      for (; started + perTransaction <= due; started += perTransaction) {
        const work = commit(started).finally(() => pending.delete(work));
        pending.add(work);
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await Promise.all(pending);
    const loadMs = performance.now() - start;

    const deadline = performance.now() + DRAIN_WAIT_MS;
    while ([...committedAt.keys()].some((id) => !ackedAt.has(id)) && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await relay.stop();

    const latencies: number[] = [];
    let missing = 0;
    for (const [id, committed] of committedAt) {
      const acked = ackedAt.get(id);
      if (acked === undefined) missing += 1;
      else if (committed - start >= Math.min(WARM_UP_MS, settings.latencyMs / 4)) latencies.push(acked - committed);
    }
    return {
      pollIntervalMs: overrides.pollIntervalMs ?? 'default',
      messages: committedAt.size,
      committedRate: Math.round((committedAt.size / loadMs) * 1000),
      p50Ms: quantile(latencies, 0.5),
      p99Ms: quantile(latencies, 0.99),
      maxMs: quantile(latencies, 1),
      missing,
    };
  } finally {
    await db.destroy();
  }
}

/**
 * Commit-to-acknowledgement latency at a steady message rate: from the resolved
 * COMMIT of the transaction that wrote a message to the resolved `sendBatch` that carried it.
 * Measured with default relay settings, then with a 10 ms poll interval for comparison.
 */
export async function measureLatency(settings: BenchSettings, log: (line: string) => void): Promise<LatencyMeasure> {
  const cases: LatencyCase[] = [];
  const variants: Partial<RelayOptions>[] = settings.smoke ? [{}] : [{}, { pollIntervalMs: 10 }];
  for (const overrides of variants) {
    const result = await runCase(settings, overrides);
    cases.push(result);
    log(`poll interval ${result.pollIntervalMs}: p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms, ${result.committedRate} commits/s`);
  }
  const defaults = cases[0] as LatencyCase;
  return { rate: settings.latencyRate, messagesPerTransaction: settings.latencyBatch, durationMs: settings.latencyMs, cases, latencyP50Ms: defaults.p50Ms, latencyP99Ms: defaults.p99Ms };
}
