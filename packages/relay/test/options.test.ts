import { ConfigurationError } from '@kafka-streamer/core';
import knexFactory from 'knex';
import { describe, expect, it } from 'vitest';
import { type RelayOptions, resolveRelayOptions } from '../src/index.js';

const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
const base: RelayOptions = { knex, kafka: { brokers: ['127.0.0.1:9092'] } };

function rejection(options: Partial<RelayOptions>): string {
  try {
    resolveRelayOptions({ ...base, ...options } as RelayOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).code).toBe('ERR_KS_CONFIGURATION');
    return (error as Error).message;
  }
  throw new Error('expected the options to be rejected');
}

describe('relay options', () => {
  it('applies the documented defaults', () => {
    const resolved = resolveRelayOptions(base);

    expect(resolved.batchSize).toBe(500);
    expect(resolved.pollIntervalMs).toBe(500);
    expect(resolved.maxBatchesInFlight).toBe(1);
    expect(resolved.takeoverMs).toBe(30_000);
    expect(resolved.retry).toEqual({ initialDelayMs: 500, factor: 2, maxDelayMs: 60_000, maxAttempts: 10 });
    expect(resolved.maxRequestBytes).toBe(1_000_000);
    expect(resolved.shutdownGraceMs).toBe(10_000);
    expect(resolved.blockedKeyPolicy).toBe('hold');
    expect(resolved.outbox).toEqual({ table: 'kafka_streamer_outbox', schema: undefined });
    expect(resolved.relayId).toMatch(new RegExp(`-${process.pid}-[0-9a-f]{6}$`));
  });

  it.each([
    [{ batchSize: 0 }, 'expected batchSize to be an integer from 1 to 100000, got 0'],
    [{ batchSize: 1.5 }, 'expected batchSize to be an integer from 1 to 100000, got 1.5'],
    [{ pollIntervalMs: -1 }, 'expected pollIntervalMs to be an integer from 1 to 3600000, got -1'],
    [{ takeoverMs: 10 }, 'expected takeoverMs to be an integer from 300 to 86400000, got 10'],
    [{ maxBatchesInFlight: '2' }, 'expected maxBatchesInFlight to be an integer from 1 to 64, got "2"'],
    [{ maxRequestBytes: 10 }, 'expected maxRequestBytes to be an integer from 1024 to 104857600, got 10'],
    [{ retry: { factor: 0.5 } }, 'expected retry.factor to be a number from 1 to 100, got 0.5'],
    [{ retry: { maxAttempts: 0 } }, 'expected retry.maxAttempts to be an integer from 1 to 1000000, got 0'],
    [{ retry: { initialDelayMs: 1000, maxDelayMs: 10 } }, 'expected retry.maxDelayMs (10) to be >= retry.initialDelayMs (1000)'],
    [{ blockedKeyPolicy: 'drop' }, 'expected blockedKeyPolicy to be "hold" or "skip", got "drop"'],
    [{ relayId: '' }, 'expected relayId to be a string of 1 to 255 characters, got ""'],
    [{ kafka: { brokers: [] } }, 'expected kafka.brokers to be a non-empty array of "host:port" strings, got []'],
    [{ kafka: { brokers: ['localhost'] } }, 'expected kafka.brokers to be a non-empty array of "host:port" strings, got ["localhost"]'],
    [{ outbox: { table: 'bad-name' } }, 'invalid outbox table name "bad-name"'],
  ])('rejects %j', (options, message) => {
    expect(rejection(options as Partial<RelayOptions>)).toContain(message);
  });

  it('requires exactly one of knex and database', () => {
    expect(rejection({ knex: undefined })).toContain('expected exactly one of knex');
    expect(rejection({ database: { client: 'pg', connection: 'postgres://x' } })).toContain('expected exactly one of knex');
  });

  it('rejects an unknown database client', () => {
    const message = rejection({ knex: undefined, database: { client: 'oracledb', connection: 'x' } as never });

    expect(message).toBe('expected database.client to be one of pg, mysql2, better-sqlite3, got "oracledb"');
  });
});
