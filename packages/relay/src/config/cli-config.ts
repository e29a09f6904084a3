import type { DatabaseClient } from './database-url.js';
import type { ValueSource } from './resolve.js';

/** Effective settings of one CLI invocation, after precedence and validation. Times in milliseconds. */
export interface CliConfig {
  readonly config?: string;
  readonly logLevel: string;
  readonly databaseUrl: string;
  readonly databaseClient?: DatabaseClient;
  readonly outboxTable: string;
  readonly outboxSchema?: string;
  readonly brokers?: readonly string[];
  readonly clientId?: string;
  readonly connectionTimeout?: number;
  readonly requestTimeout?: number;
  readonly ssl?: boolean;
  readonly sslCaFile?: string;
  readonly sslCertFile?: string;
  readonly sslKeyFile?: string;
  readonly sslRejectUnauthorized?: boolean;
  readonly saslMechanism?: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  readonly saslUsername?: string;
  readonly saslPasswordFile?: string;
  readonly relayId?: string;
  readonly batchSize?: number;
  readonly pollInterval?: number;
  readonly maxBatchesInFlight?: number;
  readonly takeoverTime?: number;
  readonly retryInitialDelay?: number;
  readonly retryFactor?: number;
  readonly retryMaxDelay?: number;
  readonly maxAttempts?: number;
  readonly maxRequestBytes?: number;
  readonly blockedKeyPolicy?: 'hold' | 'skip';
  readonly shutdownGrace?: number;
  readonly metricsPort?: number;
  readonly metricsHost?: string;
  readonly statusInterval?: number;
}

/** A loaded configuration: the values, where each came from, and the SASL password kept apart from both. */
export interface LoadedConfig {
  readonly values: CliConfig;
  readonly sources: Readonly<Record<string, ValueSource>>;
  /** Read from KAFKA_STREAMER_SASL_PASSWORD or --sasl-password-file; never logged. */
  readonly saslPassword?: string;
}
