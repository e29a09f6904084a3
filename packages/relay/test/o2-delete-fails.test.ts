import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_DIALECTS, type TestDatabase, type TestDialect } from '../../../test/support/databases.js';
import { createTopic, readTopic, uniqueTopic } from '../../../test/support/kafka.js';
import type { ErrorEvent, Relay } from '../src/index.js';
import { createOutboxDatabase, insertRows, OUTBOX, outboxCount, outboxRows, waitFor } from './support/outbox.js';
import { testRelay } from './support/relays.js';

/** Installs a trigger that rejects every DELETE on the outbox while table `fail_delete` has a row. */
async function installDeleteTrap(db: TestDatabase, dialect: TestDialect): Promise<void> {
  await db.knex.schema.createTable('fail_delete', (table) => table.integer('n'));
  await db.knex('fail_delete').insert({ n: 1 });

  if (dialect === 'postgres') {
    await db.knex.raw(`CREATE FUNCTION fail_delete_trap() RETURNS trigger AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM fail_delete) THEN RAISE EXCEPTION 'delete blocked by test trigger'; END IF;
        RETURN OLD;
      END $$ LANGUAGE plpgsql`);
    await db.knex.raw(`CREATE TRIGGER trap BEFORE DELETE ON ${OUTBOX} FOR EACH ROW EXECUTE FUNCTION fail_delete_trap()`);
  } else if (dialect === 'mysql') {
    await db.knex.raw(`CREATE TRIGGER trap BEFORE DELETE ON ${OUTBOX} FOR EACH ROW BEGIN
      IF EXISTS (SELECT 1 FROM fail_delete) THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'delete blocked by test trigger';
      END IF;
    END`);
  } else {
    await db.knex.raw(`CREATE TRIGGER trap BEFORE DELETE ON ${OUTBOX} WHEN EXISTS (SELECT 1 FROM fail_delete)
      BEGIN SELECT RAISE(ABORT, 'delete blocked by test trigger'); END`);
  }
}

describe.each(ALL_DIALECTS)('delete failure after publish on %s', (dialect) => {
  let db: TestDatabase;
  let relay: Relay;
  let topic: string;
  const errors: ErrorEvent[] = [];

  beforeAll(async () => {
    db = await createOutboxDatabase(dialect, 'ks_relay_o2');
    topic = await createTopic(uniqueTopic('relay-o2'));
    await installDeleteTrap(db, dialect);
    relay = testRelay(db);
    relay.on('error', (event) => errors.push(event));
  });

  afterAll(async () => {
    await relay?.stop();
    await db?.destroy();
  });

  it('republishes identical bytes and empties the outbox', async () => {
    const ids = await insertRows(db.knex, [
      { topic, key: 'k1', payload: '{"_type":"order","id":1,"total":"10.50"}', headers: { 'message-type': 'create' } },
      { topic, key: 'k2', payload: '{"_type":"order","id":2,"note":"é ü 😀"}', headers: { 'message-type': 'update' } },
      { topic, key: null, payload: '{"_type":"order","id":3}', headers: { 'message-type': 'delete', trace: 'x' } },
    ]);

    const first = await relay.runOnce();
    expect(first.published).toBe(0);
    expect(errors.map((event) => event.error.message).join('\n')).toMatch(/delete blocked by test trigger/);
    expect(errors[0]?.ids).toEqual(ids);

    const afterFailure = await outboxRows(db.knex);
    expect(afterFailure.map((row) => row.id)).toEqual(ids);
    for (const row of afterFailure) {
      expect(row.attempts).toBe(1);
      expect(row.last_error).toMatch(/published, but deleting the row failed/);
      expect(row.claim_id).toBeNull();
    }

    await db.knex('fail_delete').del();
    await waitFor('the outbox to empty', async () => {
      await relay.runOnce();
      return (await outboxCount(db.knex)) === 0;
    });

    const messages = await readTopic(topic, { count: 6 });
    expect(messages).toHaveLength(6);
    for (const id of ids) {
      const copies = messages.filter((m) => m.headers['outbox-id'] === id);
      expect(copies.length).toBeGreaterThanOrEqual(1);
      for (const copy of copies.slice(1)) {
        expect(copy.key).toEqual(copies[0]?.key);
        expect(copy.value?.equals(copies[0]?.value as Buffer)).toBe(true);
        expect(copy.headers).toEqual(copies[0]?.headers);
      }
    }
    const second = messages.find((m) => m.headers['outbox-id'] === ids[1]);
    expect(second?.value?.toString('utf8')).toBe('{"_type":"order","id":2,"note":"é ü 😀"}');
  });
});
