import { randomUUID } from 'node:crypto';
import { type Consumer, type Kafka, logLevel } from 'kafkajs';

/** One Kafka record as the verifier sees it. */
export interface ReceivedMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Readonly<Record<string, string>>;
  /** Kafka record timestamp (ms since the epoch): the producer's send time. */
  readonly timestamp: number;
}

export { logLevel };

function headerText(value: Buffer | string | (Buffer | string)[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/**
 * Reads topics from their beginning with a consumer group of its own, keeping every
 * record in memory in arrival order.
 */
export class TopicReader {
  readonly messages: ReceivedMessage[] = [];
  private readonly consumer: Consumer;
  // Next offset to read per "topic/partition".
  private readonly positions = new Map<string, bigint>();
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: readonly string[],
  ) {
    this.consumer = kafka.consumer({ groupId: `shop-verify-${randomUUID()}`, maxWaitTimeInMs: 200 });
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.topics], fromBeginning: true });
    await this.consumer.run({
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(message.headers ?? {})) {
            const text = headerText(value);
            if (text !== undefined) headers[name] = text;
          }
          this.messages.push({
            topic: batch.topic,
            partition: batch.partition,
            offset: BigInt(message.offset),
            key: message.key === null ? null : message.key.toString(),
            value: message.value === null ? null : message.value.toString(),
            headers,
            timestamp: Number(message.timestamp),
          });
          this.positions.set(`${batch.topic}/${batch.partition}`, BigInt(message.offset) + 1n);
        }
        for (const wake of this.waiters) wake();
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }

  /** Resolves true when `done()` holds after a batch, false when `timeoutMs` passes first. */
  waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (result: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(result);
      };
      const check = () => {
        if (done()) finish(true);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.waiters.add(check);
    });
  }

  /**
   * Waits until every partition has been read up to the end offsets it has now, so
   * that the messages hold everything published before this call.
   */
  async readToEnd(timeoutMs: number): Promise<boolean> {
    const admin = this.kafka.admin();
    await admin.connect();
    const ends = new Map<string, bigint>();
    try {
      for (const topic of this.topics) {
        for (const partition of await admin.fetchTopicOffsets(topic)) {
          ends.set(`${topic}/${partition.partition}`, BigInt(partition.high));
        }
      }
    } finally {
      await admin.disconnect();
    }

    const reached = () =>
      [...ends].every(([position, end]) => end === 0n || (this.positions.get(position) ?? 0n) >= end);
    return this.waitFor(reached, timeoutMs);
  }
}
