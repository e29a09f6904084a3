import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../../test/support/databases.js';
import { createTopic, readTopic, uniqueTopic } from '../../../test/support/kafka.js';
import type { Relay } from '../src/index.js';
import { createOutboxDatabase, insertRows, outboxCount, outboxRows } from './support/outbox.js';
import { testRelay } from './support/relays.js';

// SQLite lets one writer at a time hold a write transaction, so ids are always
// committed in order there; the case needs concurrent writers.
describe.each(['postgres', 'mysql'] as const)('out-of-order commits on %s', (dialect) => {
  let db: TestDatabase;
  let relay: Relay;
  let topic: string;

  beforeAll(async () => {
    db = await createOutboxDatabase(dialect, 'ks_relay_o1');
    topic = await createTopic(uniqueTopic('relay-o1'));
    relay = testRelay(db);
  });

  afterAll(async () => {
    await relay?.stop();
    await db?.destroy();
  });

  it('publishes a row that commits after a later id', async () => {
    const t1 = await db.knex.transaction();
    const [idA] = await insertRows(t1, [{ topic, key: 'a', payload: '{"name":"A"}' }]);
    const [idB] = await insertRows(db.knex, [{ topic, key: 'b', payload: '{"name":"B"}' }]);
    expect(Number(idB)).toBeGreaterThan(Number(idA));

    const first = await relay.runOnce();
    expect(first.published).toBe(1);
    const afterFirst = await readTopic(topic, { count: 1 });
    expect(afterFirst.map((m) => m.headers['outbox-id'])).toEqual([idB]);

    await t1.commit();
    expect((await outboxRows(db.knex)).map((row) => row.id)).toEqual([idA]);
    await relay.runOnce();
    await relay.runOnce();

    const all = await readTopic(topic, { count: 2 });
    expect(all.map((m) => m.value?.toString()).sort()).toEqual(['{"name":"A"}', '{"name":"B"}']);
    expect(await outboxCount(db.knex)).toBe(0);
  });
});
