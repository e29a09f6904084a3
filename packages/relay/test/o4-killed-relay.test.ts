import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_DIALECTS, type TestDatabase } from '../../../test/support/databases.js';
import { brokers, createTopic, readTopic, uniqueTopic } from '../../../test/support/kafka.js';
import type { Relay } from '../src/index.js';
import { RelayChild } from './support/child-process.js';
import { createOutboxDatabase, insertRows, outboxCount, outboxRows, waitFor } from './support/outbox.js';
import { testRelay } from './support/relays.js';

const TAKEOVER_MS = 3000;

/** End of the latest lease in the outbox, in ms since the epoch (all three databases store UTC). */
async function claimedUntilMs(db: TestDatabase): Promise<number> {
  const [row] = await db.knex('kafka_streamer_outbox').max({ until: 'claimed_until' });
  const value = (row as { until: Date | string }).until;
  if (value instanceof Date) return value.getTime();
  return Date.parse(`${String(value).replace(' ', 'T')}Z`);
}
const POLL_MS = 200;

describe.each(ALL_DIALECTS)('relay killed with rows in hand on %s', (dialect) => {
  let db: TestDatabase;
  let topic: string;
  let relayB: Relay | undefined;
  let child: RelayChild | undefined;

  beforeAll(async () => {
    db = await createOutboxDatabase(dialect, 'ks_relay_o4');
    topic = await createTopic(uniqueTopic('relay-o4'));
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    await relayB?.stop();
    await db?.destroy();
  });

  it('lets another relay take over after the lease', async () => {
    const ids = await insertRows(
      db.knex,
      Array.from({ length: 10 }, (_, n) => ({ topic, key: `k${n % 3}`, payload: JSON.stringify({ n }) })),
    );
    child = new RelayChild({
      database: { client: db.config.client, connection: db.config.connection },
      brokers: brokers(),
      relayId: 'relay-a',
      takeoverMs: TAKEOVER_MS,
      pollIntervalMs: POLL_MS,
      pauseAfterClaim: true,
    });
    const claimed = await child.waitForEvent('claimed');
    expect(claimed.ids).toEqual(ids);

    const publishedAt: number[] = [];
    relayB = testRelay(db, { relayId: 'relay-b', pollIntervalMs: POLL_MS, takeoverMs: TAKEOVER_MS });
    relayB.on('published', (event) => {
      for (const _ of event.ids) publishedAt.push(Date.now());
    });
    await relayB.start();

    child.kill('SIGKILL');
    await child.exited;
    const held = await outboxRows(db.knex);
    expect(held.every((row) => row.claim_id !== null)).toBe(true);
    const leaseEnd = await claimedUntilMs(db);

    await waitFor('relay B to publish the 10 rows', async () => (await outboxCount(db.knex)) === 0, 15_000);
    const messages = await readTopic(topic, { count: 10 });
    expect(messages.map((m) => m.headers['outbox-id']).sort()).toEqual([...ids].sort());

    // The claim started before the claimed event, so its lease ended by claimed.at + TAKEOVER_MS.
    const first = Math.min(...publishedAt);
    const last = Math.max(...publishedAt);
    expect(first).toBeGreaterThanOrEqual(leaseEnd);
    expect(first - claimed.at).toBeGreaterThanOrEqual(TAKEOVER_MS - 500);
    expect(last - claimed.at).toBeLessThanOrEqual(TAKEOVER_MS + POLL_MS + 1500);
  });
});
