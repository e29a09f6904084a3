import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { kafkaLogCreator } from './logger.js';
import type { RelayKafkaOptions, ResolvedRelayOptions } from './options.js';

/** Returns the KafkaJS client of the options, creating one from the settings when needed. */
export function createKafka(options: ResolvedRelayOptions, logger: Logger): Kafka {
  if (typeof (options.kafka as { producer?: unknown }).producer === 'function') return options.kafka as Kafka;
  const settings = options.kafka as RelayKafkaOptions;

  return new Kafka({
    clientId: settings.clientId ?? 'kafka-streamer-relay',
    brokers: [...settings.brokers],
    ssl: settings.ssl,
    sasl: settings.sasl,
    connectionTimeout: settings.connectionTimeoutMs ?? 3000,
    requestTimeout: settings.requestTimeoutMs ?? 30_000,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(logger),
    // Bounded so that connecting to an unreachable broker fails within seconds and
    // the poll loop logs it and backs off, instead of KafkaJS retrying for a minute.
    retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 },
  });
}

/**
 * Creates a producer that keeps each partition's order: one request in flight per
 * broker connection, so a retried request cannot overtake a later one. KafkaJS's own
 * retries are bounded (about 3 s in total) so that a failing request comes back to
 * the relay, which retries the rows with its own backoff and can stop within its
 * grace period.
 *
 * The producer is not idempotent. KafkaJS 2.2.4 takes back a request's sequence
 * numbers whenever the request fails, even when the broker wrote it and only the
 * response was lost (a reset or half-open connection). Every later request to that
 * partition then fails with OUT_OF_ORDER_SEQUENCE_NUMBER until the producer is
 * recreated, and a later request of the same size with the same sequence numbers is
 * taken by the broker as a duplicate and acknowledged without being written, so
 * its rows would be deleted unpublished. Without idempotence a lost response costs
 * a duplicate message, which at-least-once delivery allows.
 *
 * Keys are partitioned by KafkaJS's DefaultPartitioner: murmur2 of the key bytes,
 * as the Java client's default partitioner does, so a key lands on the same
 * partition as from a Java producer. Passing it explicitly also stops KafkaJS 2
 * from printing its "default partitioner changed" warning at each producer creation.
 */
export function createProducer(kafka: Kafka): Producer {
  return kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: false,
    maxInFlightRequests: 1,
    retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 1000 },
  });
}
