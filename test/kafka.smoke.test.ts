import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Producer } from 'kafkajs';
import { createTopic, readTopic, testKafka, uniqueTopic } from './support/kafka.js';

describe('kafka smoke', () => {
  let producer: Producer;

  beforeAll(async () => {
    producer = testKafka('kafka-smoke').producer({ idempotent: true });
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
  });

  it('creates a topic with the partitions and settings asked for', async () => {
    const topic = await createTopic(uniqueTopic('ks-smoke'), {
      partitions: 3,
      config: { 'max.message.bytes': '2000000' },
    });
    const admin = testKafka('kafka-smoke-admin').admin();
    await admin.connect();

    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    const configs = await admin.describeConfigs({
      resources: [{ type: 2, name: topic, configNames: ['max.message.bytes'] }],
      includeSynonyms: false,
    });
    await admin.disconnect();

    expect(metadata.topics[0]?.partitions).toHaveLength(3);
    expect(configs.resources[0]?.configEntries[0]?.configValue).toBe('2000000');
  });

  it('round-trips key, value bytes and headers', async () => {
    const topic = await createTopic(uniqueTopic('ks-smoke'));
    const value = Buffer.from([0, 1, 2, 250, 255]);

    await producer.send({
      topic,
      acks: -1,
      messages: [{ key: 'order-1', value, headers: { 'content-type': 'application/octet-stream', trace: 'abc' } }],
    });
    const messages = await readTopic(topic, { count: 1, timeoutMs: 15_000 });

    expect(messages).toEqual([
      {
        key: 'order-1',
        value,
        headers: { 'content-type': 'application/octet-stream', trace: 'abc' },
        partition: 0,
        offset: 0,
      },
    ]);
  });

  it('reads messages back in partition, then offset order, with null keys and values', async () => {
    const topic = await createTopic(uniqueTopic('ks-smoke'), { partitions: 2 });

    await producer.send({
      topic,
      messages: [
        { partition: 1, key: 'b', value: 'b0' },
        { partition: 0, key: null, value: 'a0' },
        { partition: 1, key: 'b', value: null },
        { partition: 0, key: 'a', value: 'a1' },
      ],
    });
    const messages = await readTopic(topic, { timeoutMs: 15_000 });

    expect(messages.map((m) => [m.partition, m.offset, m.key, m.value?.toString() ?? null])).toEqual([
      [0, 0, null, 'a0'],
      [0, 1, 'a', 'a1'],
      [1, 0, 'b', 'b0'],
      [1, 1, 'b', null],
    ]);
  });

  it('reads up to the end of a topic that holds committed transactions', async () => {
    const topic = await createTopic(uniqueTopic('ks-smoke'));
    const transactional = testKafka('kafka-smoke-tx').producer({
      transactionalId: uniqueTopic('ks-smoke-tx'),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await transactional.connect();

    const transaction = await transactional.transaction();
    await transaction.send({ topic, messages: [{ key: 'k', value: 'in-tx' }] });
    await transaction.commit();
    await transactional.disconnect();
    const messages = await readTopic(topic, { timeoutMs: 15_000 });

    expect(messages.map((m) => m.value?.toString())).toEqual(['in-tx']);
  });

  it('returns what arrived when the timeout passes first', async () => {
    const topic = await createTopic(uniqueTopic('ks-smoke'));
    await producer.send({ topic, messages: [{ key: 'only', value: 'one' }] });

    const messages = await readTopic(topic, { count: 2, timeoutMs: 3_000 });

    expect(messages.map((m) => m.key)).toEqual(['only']);
  });
});
