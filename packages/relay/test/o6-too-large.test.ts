import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_DIALECTS, type TestDatabase } from '../../../test/support/databases.js';
import { createTopic, readTopic, uniqueTopic } from '../../../test/support/kafka.js';
import { MessageTooLargeError, type ParkedEvent, type Relay } from '../src/index.js';
import { createOutboxDatabase, insertRows, outboxRows, waitFor } from './support/outbox.js';
import { testRelay } from './support/relays.js';

/** Text of about `bytes` bytes that does not compress: base64 of random bytes. */
function noise(bytes: number): string {
  return randomBytes(Math.ceil((bytes * 3) / 4)).toString('base64').slice(0, bytes);
}

describe.each(ALL_DIALECTS)('oversized messages on %s', (dialect) => {
  let db: TestDatabase;
  let relay: Relay;
  let topic: string;
  const parked: ParkedEvent[] = [];
  let requests = 0;

  beforeAll(async () => {
    db = await createOutboxDatabase(dialect, 'ks_relay_o6');
    topic = await createTopic(uniqueTopic('relay-o6'));
    relay = testRelay(db);
    relay.on('parked', (event) => parked.push(event));
    relay.on('published', () => {
      requests += 1;
    });
  });

  afterAll(async () => {
    await relay?.stop();
    await db?.destroy();
  });

  it('splits requests and parks the message over the limit', async () => {
    const big = await insertRows(db.knex, [
      { topic, key: 'big', payload: noise(400_000) },
      { topic, key: 'big', payload: noise(400_000) },
      { topic, key: 'big', payload: noise(400_000) },
    ]);
    const [huge] = await insertRows(db.knex, [{ topic, key: 'huge', payload: noise(1_200_000) }]);
    const small = await insertRows(
      db.knex,
      Array.from({ length: 5 }, (_, n) => ({ topic, key: `small-${n}`, payload: `{"n":${n}}` })),
    );

    await relay.start();
    await waitFor('only the huge row to remain', async () => {
      const rows = await outboxRows(db.knex);
      return rows.length === 1 && rows[0]?.parked_at !== null;
    });

    const messages = await readTopic(topic, { count: 8 });
    expect(messages.map((m) => m.headers['outbox-id']).sort()).toEqual([...big, ...small].sort());
    expect(messages.filter((m) => m.key === 'big').map((m) => m.headers['outbox-id'])).toEqual(big);
    expect(requests).toBeGreaterThanOrEqual(2);

    const [row] = await outboxRows(db.knex);
    expect(row?.id).toBe(huge);
    expect(row?.attempts).toBe(1);
    expect(row?.last_error).toContain('MESSAGE_TOO_LARGE');
    expect(row?.last_error).toContain(`outbox id ${huge}`);
    expect(row?.last_error).toMatch(/is about 1200\d{3} bytes/);

    expect(parked).toHaveLength(1);
    expect(parked[0]?.error).toBeInstanceOf(MessageTooLargeError);
    expect(parked[0]?.error).toMatchObject({ code: 'ERR_KS_MESSAGE_TOO_LARGE', id: huge });
  });
});
