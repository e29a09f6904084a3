import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../../test/support/databases.js';
import { createTopic, readTopic, uniqueTopic } from '../../../test/support/kafka.js';
import type { ErrorEvent, Relay, RelayDatabaseOptions } from '../src/index.js';
import { createOutboxDatabase, insertRows, outboxCount, waitFor } from './support/outbox.js';
import { testRelay } from './support/relays.js';

/** Ends every session of the test database except the caller's own, as a database restart would. */
async function killSessions(db: TestDatabase): Promise<number> {
  if (db.dialect === 'postgres') {
    const result = await db.knex.raw(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    return result.rows.length;
  }
  const [rows] = await db.knex.raw('SELECT id FROM information_schema.processlist WHERE db = DATABASE() AND id <> CONNECTION_ID()');
  for (const { id } of rows as { id: number }[]) await db.knex.raw(`KILL ${Number(id)}`);
  return (rows as unknown[]).length;
}

describe.each(['postgres', 'mysql'] as const)('database connections lost on %s', (dialect) => {
  let db: TestDatabase;
  let relay: Relay;
  let topic: string;
  const errors: ErrorEvent[] = [];

  beforeAll(async () => {
    db = await createOutboxDatabase(dialect, 'ks_relay_dbloss');
    topic = await createTopic(uniqueTopic('relay-dbloss'));
    const database = { client: db.config.client, connection: db.config.connection } as RelayDatabaseOptions;
    relay = testRelay(db, { knex: undefined, database });
    relay.on('error', (event) => errors.push(event));
  });

  afterAll(async () => {
    await relay?.stop();
    await db?.destroy();
  });

  it('keeps publishing after its sessions are killed', async () => {
    await insertRows(db.knex, [{ topic, key: 'a', payload: '{"n":1}' }]);
    await relay.start();
    await waitFor('the first row', async () => (await outboxCount(db.knex)) === 0);

    expect(await killSessions(db)).toBeGreaterThan(0);
    await insertRows(db.knex, [{ topic, key: 'a', payload: '{"n":2}' }]);
    await waitFor('the row after the sessions were killed', async () => (await outboxCount(db.knex)) === 0);

    const messages = await readTopic(topic, { count: 2 });
    expect(messages.map((m) => m.value?.toString())).toEqual(['{"n":1}', '{"n":2}']);
  });
});
