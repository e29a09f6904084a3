import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../../test/support/databases.js';
import { createTopic, readTopic, uniqueTopic } from '../../../test/support/kafka.js';
import { RelayStoppedError } from '../src/index.js';
import { createOutboxDatabase, insertRows, outboxCount } from './support/outbox.js';
import { testRelay } from './support/relays.js';

describe('relay lifecycle', () => {
  let db: TestDatabase;
  let topic: string;

  beforeAll(async () => {
    db = await createOutboxDatabase('sqlite', 'ks_relay_life');
    topic = await createTopic(uniqueTopic('relay-life'));
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('emits events from start to stop', async () => {
    const relay = testRelay(db);
    const seen: string[] = [];
    for (const name of ['started', 'idle', 'batch', 'published', 'stopping', 'stopped'] as const) {
      relay.on(name, () => seen.push(name));
    }
    const [id] = await insertRows(db.knex, [{ topic, key: 'a', payload: '{"a":1}' }]);

    const published = once(relay, 'published');
    await relay.start();
    const [event] = await published;
    expect(event).toEqual({ ids: [id], topic });
    await once(relay, 'idle');

    await Promise.all([relay.stop(), relay.stop()]);
    expect(seen.filter((name) => name === 'stopped')).toHaveLength(1);
    expect(seen[0]).toBe('started');
    expect(seen.indexOf('published')).toBeLessThan(seen.indexOf('batch'));
    expect(seen.slice(-2)).toEqual(['stopping', 'stopped']);
    expect(await outboxCount(db.knex)).toBe(0);
    await expect(relay.start()).rejects.toBeInstanceOf(RelayStoppedError);
    expect((await readTopic(topic, { count: 1 }))[0]?.value?.toString()).toBe('{"a":1}');
  });

  it('emits connected and disconnected', async () => {
    const relay = testRelay(db);
    const seen: string[] = [];
    for (const name of ['started', 'connected', 'idle', 'disconnected', 'stopped'] as const) {
      relay.on(name, () => seen.push(name));
    }

    const connected = once(relay, 'connected');
    await relay.start();
    await connected;
    await once(relay, 'idle');
    await relay.stop();

    expect(seen.filter((name) => name === 'connected')).toHaveLength(1);
    expect(seen.filter((name) => name === 'disconnected')).toHaveLength(1);
    expect(seen.indexOf('connected')).toBeLessThan(seen.indexOf('idle'));
    expect(seen.indexOf('disconnected')).toBeLessThan(seen.indexOf('stopped'));
  });

  it('keeps running when a listener throws', async () => {
    const relay = testRelay(db);
    relay.on('published', () => {
      throw new Error('listener bug');
    });
    await insertRows(db.knex, [{ topic, key: 'b' }, { topic, key: 'c' }]);

    const summary = await relay.runOnce();
    await relay.stop();

    expect(summary.published).toBe(2);
  });

  it('stops without having started', async () => {
    const relay = testRelay(db);

    await relay.stop();

    await expect(relay.runOnce()).rejects.toMatchObject({ code: 'ERR_KS_RELAY_STOPPED' });
  });
});
