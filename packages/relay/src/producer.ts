import { Kafka, logLevel, type Producer } from 'kafkajs';
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
  });
}

/**
 * Creates a producer that keeps each partition's order: idempotent, with one request in
 * flight per broker connection, so a retried request cannot overtake a later one.
 * KafkaJS's own retries are bounded (about 3 s in total) so that a failing request
 * comes back to the relay, which retries the rows with its own backoff and can
 * stop within its grace period.
 */
export function createProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 1000 },
  });
}
