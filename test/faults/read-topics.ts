import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';

/** One message read back, with the fields the checks use. */
export interface SeenMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string | null;
  readonly outboxId: string | null;
  readonly itemId: string | null;
  readonly tx: string | null;
  readonly seq: number | null;
}

function parseValue(value: Buffer | null): { id?: unknown; tx?: unknown; seq?: unknown } {
  if (value === null) return {};
  try {
    return JSON.parse(value.toString('utf8')) as { id?: unknown; tx?: unknown; seq?: unknown };
  } catch {
    return {};
  }
}

/** Reads every partition of `topics` from the beginning up to the end offsets they have when called. */
export async function readTopics(kafka: Kafka, topics: readonly string[], timeoutMs = 120_000): Promise<SeenMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const remaining = new Map<string, number>();
  try {
    for (const topic of topics) {
      for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
        if (Number(high) > Number(low)) remaining.set(`${topic}/${partition}`, Number(high) - 1);
      }
    }
  } finally {
    await admin.disconnect();
  }
  const seen: SeenMessage[] = [];
  if (remaining.size === 0) return seen;

  const consumer = kafka.consumer({ groupId: `ks-faults-verify-${randomBytes(6).toString('hex')}`, maxWaitTimeInMs: 200, maxBytes: 64 << 20 });
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const timer = setTimeout(finish, timeoutMs);
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          const value = parseValue(message.value);
          seen.push({
            topic: batch.topic,
            partition: batch.partition,
            offset: Number(message.offset),
            key: message.key === null ? null : message.key.toString(),
            outboxId: message.headers?.['outbox-id']?.toString() ?? null,
            itemId: value.id === undefined ? null : String(value.id),
            tx: typeof value.tx === 'string' ? value.tx : null,
            seq: typeof value.seq === 'number' ? value.seq : null,
          });
        }
        const name = `${batch.topic}/${batch.partition}`;
        const last = remaining.get(name);
        if (last !== undefined && Number(batch.lastOffset()) >= last) remaining.delete(name);
        if (remaining.size === 0) finish();
      },
    });
    await done;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  if (remaining.size > 0) throw new Error(`reading the topics timed out after ${timeoutMs} ms; partitions not read to the end: ${[...remaining.keys()].join(', ')}`);
  return seen;
}
