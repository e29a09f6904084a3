import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_DIALECTS, type TestDatabase } from '../../../test/support/databases.js';
import { createTopic, readTopic, uniqueTopic } from '../../../test/support/kafka.js';
import type { BlockedKeyPolicy, ParkedEvent } from '../src/index.js';
import { createOutboxDatabase, insertRows, OUTBOX, outboxRows } from './support/outbox.js';
import { testRelay } from './support/relays.js';

// The topic accepts record batches of at most 2000 bytes, so one 5000-byte row makes
// the whole produce request fail. The relay then sends the rows one by one.
const TOPIC_MAX_BYTES = '2000';

describe.each(ALL_DIALECTS)('poison row on %s', (dialect) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createOutboxDatabase(dialect, 'ks_relay_poison');
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it.each(['hold', 'skip'] as BlockedKeyPolicy[])('finds and parks it under %s', async (policy) => {
    await db.knex(OUTBOX).del();
    const topic = await createTopic(uniqueTopic('relay-poison'), { config: { 'max.message.bytes': TOPIC_MAX_BYTES } });
    const [before, poison, after, other] = await insertRows(db.knex, [
      { topic, key: 'p', payload: '{"n":1}' },
      { topic, key: 'p', payload: JSON.stringify({ n: 2, pad: 'x'.repeat(5000) }) },
      { topic, key: 'p', payload: '{"n":3}' },
      { topic, key: 'q', payload: '{"n":4}' },
    ]);
    const relay = testRelay(db, { blockedKeyPolicy: policy });
    const parked: ParkedEvent[] = [];
    relay.on('parked', (event) => parked.push(event));

    try {
      const first = await relay.runOnce();
      const second = await relay.runOnce();

      expect(first.parked).toBe(1);
      expect(parked.map((event) => event.id)).toEqual([poison]);
      const left = await outboxRows(db.knex);
      const expectedLeft = policy === 'hold' ? [poison, after] : [poison];
      expect(left.map((row) => row.id)).toEqual(expectedLeft);
      expect(left[0]?.last_error).toContain('MESSAGE_TOO_LARGE');
      if (policy === 'hold') {
        expect(left[1]?.attempts).toBe(0);
        expect(left[1]?.claim_id).toBeNull();
        expect(second.rows).toBe(0);
      }

      const published = policy === 'hold' ? [before, other] : [before, after, other];
      const messages = await readTopic(topic, { count: published.length });
      expect(messages.map((m) => m.headers['outbox-id']).sort()).toEqual([...(published as string[])].sort());
    } finally {
      await relay.stop();
    }
  });
});
