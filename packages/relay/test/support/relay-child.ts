// A relay in a child process, for crash and signal tests. Reads its settings from
// RELAY_CHILD_CONFIG (JSON) and writes one JSON line per event to stdout.
// With pauseAfterClaim, the first batch is held after its claim and never published.
import pino from 'pino';
import { createRelay, installSignalHandlers, type RelayDatabaseOptions } from '../../src/index.js';

interface ChildConfig {
  readonly database: RelayDatabaseOptions;
  readonly brokers: string[];
  readonly relayId: string;
  readonly takeoverMs: number;
  readonly pollIntervalMs: number;
  readonly batchSize?: number;
  readonly graceMs?: number;
  readonly pauseAfterClaim?: boolean;
}

function report(event: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ event, at: Date.now(), ...fields })}\n`);
}

const config = JSON.parse(process.env.RELAY_CHILD_CONFIG ?? '{}') as ChildConfig;
const logger = pino({ level: process.env.RELAY_TEST_LOG_LEVEL ?? 'silent' }, pino.destination(2));

const relay = createRelay({
  database: config.database,
  kafka: { brokers: config.brokers, clientId: 'relay-child', connectionTimeoutMs: 1000, requestTimeoutMs: 30_000 },
  relayId: config.relayId,
  takeoverMs: config.takeoverMs,
  pollIntervalMs: config.pollIntervalMs,
  batchSize: config.batchSize ?? 500,
  shutdownGraceMs: config.graceMs ?? 10_000,
  retry: { initialDelayMs: 100, maxDelayMs: 1000, maxAttempts: 50 },
  logger,
  beforePublish: async (rows) => {
    report('claimed', { ids: rows.map((row) => row.id) });
    if (config.pauseAfterClaim) await new Promise(() => {});
  },
});

relay.on('published', (event) => report('published', { ids: event.ids }));
relay.on('stopping', () => report('stopping'));
relay.on('stopped', () => report('stopped'));
relay.on('error', (event) => report('error', { message: event.error.message }));
installSignalHandlers(relay, logger);
await relay.start();
report('started');
