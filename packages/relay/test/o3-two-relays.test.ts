import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_DIALECTS, type TestDatabase } from '../../../test/support/databases.js';
import { createTopic, readTopic, uniqueTopic } from '../../../test/support/kafka.js';
import type { Relay, RelayDatabaseOptions } from '../src/index.js';
import { createOutboxDatabase, insertMany, outboxCount, type TestRow, waitFor } from './support/outbox.js';
import { testRelay } from './support/relays.js';

const ROWS = 1000;
const KEYS = 20;

// Each relay opens its own pool, as two relay processes would. On SQLite both
// relays share one file and take turns on its write lock (busy_timeout).
describe.each(ALL_DIALECTS)('two relays at once on %s', (dialect) => {
  let db: TestDatabase;
  let topic: string;
  let relays: Relay[] = [];

  beforeAll(async () => {
    db = await createOutboxDatabase(dialect, 'ks_relay_o3');
    topic = await createTopic(uniqueTopic('relay-o3'), { partitions: 3 });
  });

  afterAll(async () => {
    await Promise.all(relays.map((relay) => relay.stop()));
    await db?.destroy();
  });

  it('publishes every row once in key order', async () => {
    const rows: TestRow[] = [];
    for (let n = 0; n < ROWS; n += 1) {
      const key = `key-${n % KEYS}`;
      rows.push({ topic, key, payload: JSON.stringify({ key, seq: Math.floor(n / KEYS) }) });
    }
    await insertMany(db.knex, rows);

    const database = { client: db.config.client, connection: db.config.connection } as RelayDatabaseOptions;
    const published = [0, 0];
    const errors: string[] = [];
    relays = [0, 1].map((index) => {
      const relay = testRelay(db, { knex: undefined, database, batchSize: 50, relayId: `relay-${index}` });
      relay.on('published', (event) => {
        published[index] = (published[index] ?? 0) + event.ids.length;
      });
      relay.on('error', (event) => errors.push(event.error.message));
      return relay;
    });
    await Promise.all(relays.map((relay) => relay.start()));

    await waitFor('the outbox to empty', async () => (await outboxCount(db.knex)) === 0, 60_000);
    const messages = await readTopic(topic, { count: ROWS, timeoutMs: 30_000 });

    expect(messages).toHaveLength(ROWS);
    expect(new Set(messages.map((m) => m.headers['outbox-id'])).size).toBe(ROWS);
    expect((published[0] ?? 0) + (published[1] ?? 0)).toBe(ROWS);
    // On SQLite the second relay waits for the write lock (busy_timeout) instead of failing.
    expect(errors).toEqual([]);
    for (let k = 0; k < KEYS; k += 1) {
      const seqs = messages
        .filter((m) => m.key === `key-${k}`)
        .sort((a, b) => a.offset - b.offset)
        .map((m) => JSON.parse(m.value?.toString() ?? '{}').seq);
      expect(seqs).toEqual([...Array(ROWS / KEYS).keys()]);
    }
  });
});
