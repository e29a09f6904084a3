import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { SASLOptions } from 'kafkajs';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { RelayKafkaOptions, RelayOptions } from '../options.js';
import type { LoadedConfig } from './cli-config.js';

function tlsOf(loaded: LoadedConfig): boolean | ConnectionOptions {
  const config = loaded.values;
  if (config.ssl !== true) return false;

  const tls: ConnectionOptions = { rejectUnauthorized: config.sslRejectUnauthorized ?? true };
  if (config.sslCaFile !== undefined) tls.ca = [readFileSync(config.sslCaFile, 'utf8')];
  if (config.sslCertFile !== undefined) tls.cert = readFileSync(config.sslCertFile, 'utf8');
  if (config.sslKeyFile !== undefined) tls.key = readFileSync(config.sslKeyFile, 'utf8');
  return tls;
}

function saslOf(loaded: LoadedConfig): SASLOptions | undefined {
  const { saslMechanism, saslUsername } = loaded.values;
  if (saslMechanism === undefined || saslUsername === undefined || loaded.saslPassword === undefined) return undefined;
  return { mechanism: saslMechanism, username: saslUsername, password: loaded.saslPassword } as SASLOptions;
}

function kafkaOf(loaded: LoadedConfig): RelayKafkaOptions {
  const config = loaded.values;
  const sasl = saslOf(loaded);
  return {
    brokers: config.brokers ?? [],
    ...(config.clientId === undefined ? {} : { clientId: config.clientId }),
    ssl: tlsOf(loaded),
    ...(sasl === undefined ? {} : { sasl }),
    ...(config.connectionTimeout === undefined ? {} : { connectionTimeoutMs: config.connectionTimeout }),
    ...(config.requestTimeout === undefined ? {} : { requestTimeoutMs: config.requestTimeout }),
  };
}

/** Maps the CLI settings to the engine's RelayOptions; reads the TLS files. */
export function toRelayOptions(loaded: LoadedConfig, runtime: { knex: Knex; logger: Logger; relayId: string }): RelayOptions {
  const config = loaded.values;
  return {
    knex: runtime.knex,
    outbox: config.outboxSchema === undefined ? { table: config.outboxTable } : { table: config.outboxTable, schema: config.outboxSchema },
    kafka: kafkaOf(loaded),
    relayId: runtime.relayId,
    batchSize: config.batchSize,
    pollIntervalMs: config.pollInterval,
    maxBatchesInFlight: config.maxBatchesInFlight,
    takeoverMs: config.takeoverTime,
    retry: {
      initialDelayMs: config.retryInitialDelay,
      factor: config.retryFactor,
      maxDelayMs: config.retryMaxDelay,
      maxAttempts: config.maxAttempts,
    },
    maxRequestBytes: config.maxRequestBytes,
    shutdownGraceMs: config.shutdownGrace,
    logger: runtime.logger,
    blockedKeyPolicy: config.blockedKeyPolicy,
  };
}
