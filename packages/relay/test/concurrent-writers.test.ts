import type { Knex } from 'knex';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../../test/support/databases.js';
import { createTopic, readTopic, uniqueTopic } from '../../../test/support/kafka.js';
import type { Relay, RelayDatabaseOptions } from '../src/index.js';
import { createOutboxDatabase, insertRows, outboxCount, waitFor } from './support/outbox.js';
import { testRelay } from './support/relays.js';

const WRITERS = 8;
const TRANSACTIONS_PER_WRITER = 60;
const ROWS_PER_TRANSACTION = 3;
const KEYS_PER_WRITER = 3;
const TOTAL = WRITERS * TRANSACTIONS_PER_WRITER * ROWS_PER_TRANSACTION;

/** Longest allowed time between the writers finishing and the outbox being empty. */
const DRAIN_BOUND_MS = 5000;

/** Longest allowed time without a publish while rows are pending; the lease is 30 s. */
const MAX_PUBLISH_GAP_MS = 5000;

/**
 * One application writer: sequential transactions, each inserting outbox rows
 * one statement at a time with a read between them, so that its locks are held
 * while the relay claims, renews and deletes. Each writer has its own keys, so
 * its per-key order is its commit order.
 */
async function runWriter(knex: Knex, topic: string, writer: number): Promise<void> {
  const seqs = new Map<string, number>();
  for (let t = 0; t < TRANSACTIONS_PER_WRITER; t += 1) {
    await knex.transaction(async (trx) => {
      for (let r = 0; r < ROWS_PER_TRANSACTION; r += 1) {
        const key = `w${writer}-k${(t + r) % KEYS_PER_WRITER}`;
        const seq = seqs.get(key) ?? 0;
        seqs.set(key, seq + 1);
        await insertRows(trx, [{ topic, key, payload: JSON.stringify({ key, seq }) }]);
        await trx.raw('SELECT 1');
      }
    });
  }
}

// The relay opens its own pool, as the demo and the CLI do, while the writers use the test's pool.
// Three batches in flight run in three lanes of keys at once.
const CASES = [
  ['postgres', 1],
  ['postgres', 3],
  ['mysql', 1],
  ['mysql', 3],
] as const;

describe.each(CASES)('concurrent writers on %s, %i in flight', (dialect, maxBatchesInFlight) => {
  let db: TestDatabase;
  let topic: string;
  let relay: Relay | undefined;

  beforeAll(async () => {
    db = await createOutboxDatabase(dialect, 'ks_relay_writers');
    topic = await createTopic(uniqueTopic('relay-writers'), { partitions: 3 });
  });

  afterAll(async () => {
    await relay?.stop();
    await db?.destroy();
  });

  it('drains steadily without lost leases', async () => {
    const logs: { level: number; msg: string }[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => logs.push(JSON.parse(line)) });
    const database = { client: db.config.client, connection: db.config.connection } as RelayDatabaseOptions;
    relay = testRelay(db, {
      knex: undefined,
      database,
      batchSize: 100,
      pollIntervalMs: 50,
      takeoverMs: 30_000,
      maxBatchesInFlight,
      logger,
    });

    const errors: string[] = [];
    let lastPublishAt = Date.now();
    let maxGapMs = 0;
    relay.on('error', (event) => errors.push(event.error.message));
    relay.on('published', () => {
      maxGapMs = Math.max(maxGapMs, Date.now() - lastPublishAt);
      lastPublishAt = Date.now();
    });
    await relay.start();

    await Promise.all([...Array(WRITERS).keys()].map((writer) => runWriter(db.knex, topic, writer)));
    const writersDoneAt = Date.now();
    await waitFor('the outbox to empty', async () => (await outboxCount(db.knex)) === 0, 60_000);
    const drainMs = Date.now() - writersDoneAt;

    expect(errors).toEqual([]);
    expect(logs.filter((entry) => entry.msg.startsWith('lease lost'))).toEqual([]);
    expect(logs.filter((entry) => entry.level >= 50)).toEqual([]);
    expect(drainMs).toBeLessThan(DRAIN_BOUND_MS);
    expect(maxGapMs).toBeLessThan(MAX_PUBLISH_GAP_MS);

    const messages = await readTopic(topic, { count: TOTAL, timeoutMs: 30_000 });
    expect(messages).toHaveLength(TOTAL);
    const byKey = new Map<string, number[]>();
    for (const message of [...messages].sort((a, b) => a.offset - b.offset)) {
      const { key, seq } = JSON.parse(message.value?.toString() ?? '{}') as { key: string; seq: number };
      byKey.set(key, [...(byKey.get(key) ?? []), seq]);
    }
    for (const [key, seqs] of byKey) {
      expect({ key, seqs }).toEqual({ key, seqs: [...Array(seqs.length).keys()] });
    }
  }, 120_000);
});
