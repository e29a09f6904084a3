import pino from 'pino';
import type { TestDatabase } from '../../../../test/support/databases.js';
import { brokers } from '../../../../test/support/kafka.js';
import { createRelay, type Relay, type RelayOptions } from '../../src/index.js';

/**
 * Creates a relay on a test database with timings short enough for tests. Its logs go to
 * stderr at the level of RELAY_TEST_LOG_LEVEL (default silent).
 */
export function testRelay(db: TestDatabase, overrides: Partial<RelayOptions> = {}): Relay {
  const level = process.env.RELAY_TEST_LOG_LEVEL ?? 'silent';
  const options: RelayOptions = {
    knex: db.knex,
    kafka: { brokers: brokers(), clientId: 'relay-test', connectionTimeoutMs: 2000 },
    pollIntervalMs: 100,
    takeoverMs: 5000,
    retry: { initialDelayMs: 20, maxDelayMs: 200, maxAttempts: 5 },
    shutdownGraceMs: 5000,
    logger: pino({ level }, pino.destination(2)),
    ...overrides,
  };
  return createRelay(options);
}
