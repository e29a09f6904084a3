import { Kafka, logLevel, type Message, type Producer } from 'kafkajs';
import { createProducer } from '../../packages/relay/src/producer.js';
import { brokers, createTopic, uniqueTopic } from '../../test/support/kafka.js';

export { brokers };

/** Partitions of every benchmark topic. */
export const BENCH_PARTITIONS = 4;

export function benchKafka(clientId: string): Kafka {
  return new Kafka({ clientId, brokers: brokers(), logLevel: logLevel.NOTHING });
}

export async function benchTopic(prefix: string): Promise<string> {
  return createTopic(uniqueTopic(`ks-bench-${prefix}`), { partitions: BENCH_PARTITIONS });
}

/** Creates and connects a producer with the relay's own settings (idempotent, one request in flight per connection). */
export async function relayLikeProducer(clientId: string): Promise<Producer> {
  const producer = createProducer(benchKafka(clientId));
  await producer.connect();
  return producer;
}

/**
 * Sends messages from memory as the relay sends a backlog: `batchSize` messages per
 * `sendBatch` with acks=-1, `concurrency` batches at a time. Returns the elapsed ms.
 */
export async function produceFromMemory(
  producer: Producer,
  topic: string,
  messages: readonly Message[],
  batchSize: number,
  concurrency: number,
): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < messages.length) {
      const batch = messages.slice(next, next + batchSize);
      next += batchSize;
      await producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages: batch }] });
    }
  };

  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - start;
}
