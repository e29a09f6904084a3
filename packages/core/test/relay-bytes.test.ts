import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { brokers, createTopic, readTopic, uniqueTopic } from '../../../test/support/kafka.js';
import { createRelay } from '../../relay/src/index.js';
import { createRegistry } from '../src/index.js';
import { ALL_DIALECTS, createOutboxDatabase, freezeTime, outboxRows, type TestDatabase } from './support/outbox.js';

class Article {
  static tableName = 'articles';
  id?: unknown;
}

describe('bytes on Kafka', () => {
  const dbs: TestDatabase[] = [];
  let topic: string;

  beforeAll(async () => {
    topic = await createTopic(uniqueTopic('core-bytes'));
    for (const dialect of ALL_DIALECTS) {
      const db = await createOutboxDatabase(dialect, 'ks_kafka_bytes');
      await db.knex.schema.createTable('articles', (t) => {
        t.bigInteger('id').primary();
        t.string('title', 100);
        t.specificType('price', 'decimal(10,2)');
        t.json('data');
      });
      dbs.push(db);
    }
  });

  afterAll(async () => {
    for (const db of dbs) await db.destroy();
  });

  it('equal the outbox payload on every database', async () => {
    const registry = createRegistry();
    registry.register(Article, { topic });
    const article = { id: '1533947986218845197', title: 'Grüße 🎉', price: '10.50', data: '{"b": 1, "a": [2]}' };

    const written = [];
    for (const db of dbs) {
      freezeTime();
      await db.knex.transaction((trx) => registry.streamUpdate(trx, article, { model: Article }));
      vi.useRealTimers();
      written.push(...(await outboxRows(db.knex)));

      const relay = createRelay({ knex: db.knex, kafka: { brokers: brokers(), clientId: 'core-bytes-test' } });
      try {
        await relay.runOnce();
      } finally {
        await relay.stop();
      }
    }
    const messages = await readTopic(topic, { count: 3 });

    expect(messages).toHaveLength(3);
    expect(written.map((row) => row.payload)).toEqual([written[0]?.payload, written[0]?.payload, written[0]?.payload]);
    expect(written[0]?.payload).toBe(
      '{"_time": "2023-01-01T00:00:00Z", "_type": "update", "id": 1533947986218845197, "title": "Grüße 🎉", "price": "10.50", "data": {"b": 1, "a": [2]}}',
    );
    for (const message of messages) {
      expect(message.value?.equals(Buffer.from(written[0]?.payload ?? '', 'utf8'))).toBe(true);
      expect(message.key).toBe('1533947986218845197');
      expect(message.headers['message-type']).toBe('update');
      expect(written.map((row) => row.message_id)).toContain(message.headers['message-id']);
      expect(typeof JSON.parse(message.value?.toString('utf8') ?? '')).toBe('object');
    }
  });
});
