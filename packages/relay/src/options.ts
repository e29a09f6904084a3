import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { ConnectionOptions } from 'node:tls';
import { ConfigurationError, type OutboxTable, resolveOutboxTable } from '@kafka-streamer/core';
import type { Kafka, SASLOptions } from 'kafkajs';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { OutboxRow } from './sql/rows.js';

/** Connection settings for a database the relay opens (and closes) itself. */
export interface RelayDatabaseOptions {
  readonly client: 'pg' | 'mysql2' | 'better-sqlite3';
  /** A URL, or the driver's connection object (for SQLite: `{ filename }`). */
  readonly connection: string | Knex.StaticConnectionConfig;
  /** Knex pool bounds. Default `{ min: 0, max: 4 }`; SQLite always uses one connection. */
  readonly pool?: { readonly min?: number; readonly max?: number };
}

/** Kafka client settings for a client the relay creates itself. */
export interface RelayKafkaOptions {
  /** Bootstrap brokers as `host:port`. At least one. */
  readonly brokers: readonly string[];
  /** Default `kafka-streamer-relay`. */
  readonly clientId?: string;
  /** `true` for TLS with the system CAs, or Node TLS options. Default off. */
  readonly ssl?: boolean | ConnectionOptions;
  readonly sasl?: SASLOptions;
  /** TCP connect timeout in ms. Default 3000. */
  readonly connectionTimeoutMs?: number;
  /** Time in ms to wait for a broker's response. Default 30000. */
  readonly requestTimeoutMs?: number;
}

/** Backoff of failed publishes; delays are in ms. */
export interface RelayRetryOptions {
  /** Delay before the second attempt. Default 500. */
  readonly initialDelayMs?: number;
  /** Growth of the delay per attempt. Default 2. */
  readonly factor?: number;
  /** Cap of the delay. Default 60000. */
  readonly maxDelayMs?: number;
  /** Failed attempts after which a row is parked. Default 10. */
  readonly maxAttempts?: number;
}

export type BlockedKeyPolicy = 'hold' | 'skip';

export interface RelayOptions {
  /** An open Knex instance; the relay never destroys it. Give this or `database`. */
  readonly knex?: Knex;
  /** Settings of a Knex pool that the relay opens and destroys on `stop()`. */
  readonly database?: RelayDatabaseOptions;
  /** Outbox table and PostgreSQL schema. Default table `kafka_streamer_outbox`. */
  readonly outbox?: { readonly table?: string; readonly schema?: string };
  /** Kafka client settings, or a KafkaJS `Kafka` instance. */
  readonly kafka: RelayKafkaOptions | Kafka;
  /** Name stored in `claimed_by`. Default `hostname-pid-random`. */
  readonly relayId?: string;
  /** Rows claimed per batch. Default 500. */
  readonly batchSize?: number;
  /**
   * Maximum wait in ms after a poll that found nothing to publish. Default 500. After
   * a poll that found rows the wait starts at 10 ms and doubles up to this.
   */
  readonly pollIntervalMs?: number;
  /**
   * Batches published at the same time. Default 1. With n > 1 the keys are split
   * into n lanes by a hash, and each batch takes rows of one free lane, so that no
   * claim waits behind the keys of this relay's other batches.
   */
  readonly maxBatchesInFlight?: number;
  /** Lease of a claim in ms; an unrenewed claim may be taken over after it. Default 30000. */
  readonly takeoverMs?: number;
  readonly retry?: RelayRetryOptions;
  /** Upper bound of a produce request's message bytes. Default 1000000. */
  readonly maxRequestBytes?: number;
  /** Time in ms that `stop()` waits for batches in flight. Default 10000. */
  readonly shutdownGraceMs?: number;
  /** A pino logger. Default: a silent logger. */
  readonly logger?: Logger;
  /** `hold` (default): rows of a key wait behind its parked row. `skip`: they pass it. */
  readonly blockedKeyPolicy?: BlockedKeyPolicy;
  /**
   * Awaited after a batch is claimed and before it is published, with the claimed
   * rows. For instrumentation and crash tests; a rejection releases the batch.
   */
  readonly beforePublish?: (rows: readonly OutboxRow[]) => Promise<void> | void;
}

export interface ResolvedRetryOptions {
  readonly initialDelayMs: number;
  readonly factor: number;
  readonly maxDelayMs: number;
  readonly maxAttempts: number;
}

/** Options after validation, with every default applied. */
export interface ResolvedRelayOptions {
  readonly knex: Knex | undefined;
  readonly database: RelayDatabaseOptions | undefined;
  readonly outbox: OutboxTable;
  readonly kafka: RelayKafkaOptions | Kafka;
  readonly relayId: string;
  readonly batchSize: number;
  readonly pollIntervalMs: number;
  readonly maxBatchesInFlight: number;
  readonly takeoverMs: number;
  readonly retry: ResolvedRetryOptions;
  readonly maxRequestBytes: number;
  readonly shutdownGraceMs: number;
  readonly logger: Logger | undefined;
  readonly blockedKeyPolicy: BlockedKeyPolicy;
  readonly beforePublish: ((rows: readonly OutboxRow[]) => Promise<void> | void) | undefined;
}

const DATABASE_CLIENTS = ['pg', 'mysql2', 'better-sqlite3'] as const;

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  return typeof value;
}

function integer(name: string, value: unknown, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new ConfigurationError(`expected ${name} to be an integer ${range}, got ${show(value)}`);
  }
  return value;
}

function finite(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new ConfigurationError(`expected ${name} to be a number from ${min} to ${max}, got ${show(value)}`);
  }
  return value;
}

function isKafkaInstance(value: unknown): value is Kafka {
  return typeof (value as { producer?: unknown }).producer === 'function';
}

function validateKafka(kafka: unknown): RelayKafkaOptions | Kafka {
  if (kafka === null || typeof kafka !== 'object') {
    throw new ConfigurationError(`expected kafka to be { brokers: [...] } or a KafkaJS Kafka instance, got ${show(kafka)}`);
  }
  if (isKafkaInstance(kafka)) return kafka;

  const settings = kafka as RelayKafkaOptions;
  const brokers = settings.brokers;
  const validBroker = (broker: unknown) => typeof broker === 'string' && /^[^\s:]+:\d{1,5}$/.test(broker);
  if (!Array.isArray(brokers) || brokers.length === 0 || !brokers.every(validBroker)) {
    throw new ConfigurationError(
      `expected kafka.brokers to be a non-empty array of "host:port" strings, got ${JSON.stringify(brokers)}`,
    );
  }
  if (settings.clientId !== undefined && (typeof settings.clientId !== 'string' || settings.clientId === '')) {
    throw new ConfigurationError(`expected kafka.clientId to be a non-empty string, got ${show(settings.clientId)}`);
  }
  integer('kafka.connectionTimeoutMs', settings.connectionTimeoutMs, 3000, 1, 600_000);
  integer('kafka.requestTimeoutMs', settings.requestTimeoutMs, 30_000, 1, 600_000);
  return settings;
}

function validateDatabase(options: RelayOptions): void {
  const hasKnex = options.knex !== undefined;
  const hasDatabase = options.database !== undefined;
  if (hasKnex === hasDatabase) {
    throw new ConfigurationError('expected exactly one of knex (a Knex instance) or database ({ client, connection })');
  }
  if (hasKnex && typeof (options.knex as { raw?: unknown }).raw !== 'function') {
    throw new ConfigurationError(`expected knex to be a Knex instance, got ${show(options.knex)}`);
  }
  if (hasDatabase) {
    const client = options.database?.client;
    if (!DATABASE_CLIENTS.includes(client as (typeof DATABASE_CLIENTS)[number])) {
      throw new ConfigurationError(`expected database.client to be one of ${DATABASE_CLIENTS.join(', ')}, got ${show(client)}`);
    }
    if (options.database?.connection === undefined) {
      throw new ConfigurationError('missing database.connection: give a URL or a connection object');
    }
    integer('database.pool.min', options.database.pool?.min, 0, 0, 100);
    integer('database.pool.max', options.database.pool?.max, 4, 1, 100);
  }
}

function validateRetry(retry: RelayRetryOptions | undefined): ResolvedRetryOptions {
  const initialDelayMs = integer('retry.initialDelayMs', retry?.initialDelayMs, 500, 0, 3_600_000);
  const factor = finite('retry.factor', retry?.factor, 2, 1, 100);
  const maxDelayMs = integer('retry.maxDelayMs', retry?.maxDelayMs, 60_000, 0, 86_400_000);
  const maxAttempts = integer('retry.maxAttempts', retry?.maxAttempts, 10, 1, 1_000_000);
  if (maxDelayMs < initialDelayMs) {
    throw new ConfigurationError(
      `expected retry.maxDelayMs (${maxDelayMs}) to be >= retry.initialDelayMs (${initialDelayMs})`,
    );
  }
  return { initialDelayMs, factor, maxDelayMs, maxAttempts };
}

function defaultRelayId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

function validateRelayId(value: unknown): string {
  if (value === undefined) return defaultRelayId();
  if (typeof value !== 'string' || value.length === 0 || value.length > 255) {
    throw new ConfigurationError(`expected relayId to be a string of 1 to 255 characters, got ${show(value)}`);
  }
  return value;
}

function validatePolicy(value: unknown): BlockedKeyPolicy {
  if (value === undefined) return 'hold';
  if (value !== 'hold' && value !== 'skip') {
    throw new ConfigurationError(`expected blockedKeyPolicy to be "hold" or "skip", got ${show(value)}`);
  }
  return value;
}

/** Validates every option once and applies the defaults; throws ConfigurationError. */
export function resolveRelayOptions(options: RelayOptions): ResolvedRelayOptions {
  if (options === null || typeof options !== 'object') {
    throw new ConfigurationError(`expected relay options to be an object, got ${show(options)}`);
  }
  validateDatabase(options);

  const takeoverMs = integer('takeoverMs', options.takeoverMs, 30_000, 300, 86_400_000);
  if (options.beforePublish !== undefined && typeof options.beforePublish !== 'function') {
    throw new ConfigurationError(`expected beforePublish to be a function, got ${show(options.beforePublish)}`);
  }
  if (options.logger !== undefined && typeof (options.logger as { child?: unknown }).child !== 'function') {
    throw new ConfigurationError(`expected logger to be a pino logger, got ${show(options.logger)}`);
  }

  return {
    knex: options.knex,
    database: options.database,
    outbox: resolveOutboxTable(options.outbox ?? {}),
    kafka: validateKafka(options.kafka),
    relayId: validateRelayId(options.relayId),
    batchSize: integer('batchSize', options.batchSize, 500, 1, 100_000),
    pollIntervalMs: integer('pollIntervalMs', options.pollIntervalMs, 500, 1, 3_600_000),
    maxBatchesInFlight: integer('maxBatchesInFlight', options.maxBatchesInFlight, 1, 1, 64),
    takeoverMs,
    retry: validateRetry(options.retry),
    maxRequestBytes: integer('maxRequestBytes', options.maxRequestBytes, 1_000_000, 1024, 100 * 1024 * 1024),
    shutdownGraceMs: integer('shutdownGraceMs', options.shutdownGraceMs, 10_000, 0, 3_600_000),
    logger: options.logger,
    blockedKeyPolicy: validatePolicy(options.blockedKeyPolicy),
    beforePublish: options.beforePublish,
  };
}
