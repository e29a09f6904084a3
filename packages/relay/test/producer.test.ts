import type { Kafka, ProducerConfig } from 'kafkajs';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createRelay } from '../src/index.js';
import { createProducer } from '../src/producer.js';

// Partition of a key under the Java client's default partitioner,
// toPositive(murmur2(key bytes)) % partitions, for 10 partitions. The murmur2
// values are the test vectors of Kafka's UtilsTest (org.apache.kafka.common.utils).
const JAVA_PARTITIONS: readonly [string, number][] = [
  ['21', (-973932308 & 0x7fffffff) % 10],
  ['foobar', (-790332482 & 0x7fffffff) % 10],
  ['a-little-bit-long-string', (-985981536 & 0x7fffffff) % 10],
  ['abc', (479470107 & 0x7fffffff) % 10],
];

function capturedProducerConfig(): ProducerConfig {
  let captured: ProducerConfig | undefined;
  const kafka = {
    producer: (config: ProducerConfig) => {
      captured = config;
      return {};
    },
  } as unknown as Kafka;
  createProducer(kafka);
  return captured as ProducerConfig;
}

describe('producer', () => {
  it('partitions keys like the Java client', () => {
    const config = capturedProducerConfig();
    expect(config.createPartitioner).toBeDefined();
    const partition = config.createPartitioner?.();
    const partitionMetadata = [...Array(10).keys()].map((partitionId) => ({
      partitionId,
      leader: 0,
      replicas: [0],
      isr: [0],
      partitionErrorCode: 0,
    }));

    for (const [key, expected] of JAVA_PARTITIONS) {
      expect({ key, partition: partition?.({ topic: 't', partitionMetadata, message: { key, value: null } }) }).toEqual({
        key,
        partition: expected,
      });
    }
  });

  it('creates a relay without the partitioner warning', async () => {
    // The test setup silences the warning through this variable for other tests.
    const silenced = process.env.KAFKAJS_NO_PARTITIONER_WARNING;
    delete process.env.KAFKAJS_NO_PARTITIONER_WARNING;
    const lines: string[] = [];
    const logger = pino({ level: 'trace' }, { write: (line: string) => lines.push(line) });
    const relay = createRelay({
      knex: undefined,
      database: { client: 'better-sqlite3', connection: ':memory:' },
      kafka: { brokers: ['127.0.0.1:1'] },
      logger,
    });
    if (silenced !== undefined) process.env.KAFKAJS_NO_PARTITIONER_WARNING = silenced;

    expect(lines.filter((line) => /partitioner/i.test(line))).toEqual([]);
    await relay.stop({ graceMs: 100 });
  });
});
