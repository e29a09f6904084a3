import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Admin, Kafka, type KafkaMessage, logLevel } from 'kafkajs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const KAFKA_SCRIPT = join(ROOT, 'scripts', 'kafka.sh');
const execFileAsync = promisify(execFile);

/** One message as read back from a topic. `offset` is a number: test topics stay far below 2^53. */
export interface ReadMessage {
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, string>;
  readonly partition: number;
  readonly offset: number;
}

export interface ReadTopicOptions {
  /**
   * Stop once this many messages arrived. Without it, read up to the end offsets the topic
   * had when called, waiting for open transactions there to finish.
   */
  readonly count?: number;
  /** Give up after this long and return what arrived (default 15 000 ms). */
  readonly timeoutMs?: number;
  readonly fromBeginning?: true;
}

export interface CreateTopicOptions {
  readonly partitions?: number;
  /** Topic settings such as `{ 'max.message.bytes': '2000000' }`. */
  readonly config?: Record<string, string>;
}

let cachedBrokers: string[] | undefined;

/**
 * Bootstrap addresses of the test broker: KAFKA_BROKERS (comma-separated; global setup sets it),
 * otherwise the address `scripts/kafka.sh address` prints.
 */
export function brokers(): string[] {
  const fromEnv = process.env.KAFKA_BROKERS?.trim();
  if (fromEnv) return splitBrokers(fromEnv);

  cachedBrokers ??= splitBrokers(execFileSync('bash', [KAFKA_SCRIPT, 'address'], { encoding: 'utf8' }));
  return cachedBrokers;
}

function splitBrokers(list: string): string[] {
  return list
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);
}

/** Creates a KafkaJS client for the test broker. Its log is silent unless KAFKA_TEST_LOG_LEVEL is error, warn, info or debug. */
export function testKafka(clientId = 'kafka-streamer-test'): Kafka {
  return new Kafka({ clientId, brokers: brokers(), logLevel: testLogLevel() });
}

function testLogLevel(): logLevel {
  const name = (process.env.KAFKA_TEST_LOG_LEVEL ?? 'nothing').toUpperCase();
  const level = logLevel[name as keyof typeof logLevel];
  return typeof level === 'number' ? level : logLevel.NOTHING;
}

/** Returns a topic name that no other test uses: `prefix-<time>-<random>`. */
export function uniqueTopic(prefix = 'ks-test'): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

async function withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = testKafka('kafka-streamer-test-admin').admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** Creates a topic (replication factor 1) and waits until every partition has a leader. Returns its name. */
export async function createTopic(name: string, options: CreateTopicOptions = {}): Promise<string> {
  const configEntries = Object.entries(options.config ?? {}).map(([key, value]) => ({ name: key, value }));

  await withAdmin((admin) =>
    admin.createTopics({
      topics: [{ topic: name, numPartitions: options.partitions ?? 1, replicationFactor: 1, configEntries }],
      waitForLeaders: true,
    }),
  );
  return name;
}

/** Deletes a topic. A topic that does not exist is no error. */
export async function deleteTopic(name: string): Promise<void> {
  await withAdmin(async (admin) => {
    const { topics } = await admin.fetchTopicMetadata();
    if (topics.some((topic) => topic.name === name)) await admin.deleteTopics({ topics: [name] });
  });
}

/** The part of KafkaJS's internal Cluster that lists offsets. */
interface OffsetCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  fetchTopicsOffset(
    topics: { topic: string; partitions: { partition: number }[]; fromBeginning: boolean }[],
  ): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
}

/**
 * High watermarks by partition. KafkaJS's admin lists offsets read_committed, which stops at
 * the last stable offset: right after a transaction commits, its markers may not be written
 * yet and its messages would look absent. Its internal cluster, made with isolation level 0
 * (read_uncommitted), gives the true end.
 */
async function highWatermarks(topic: string, partitions: number[]): Promise<Map<number, number>> {
  const kafka = testKafka('kafka-streamer-test-offsets');
  const create = Object.getOwnPropertySymbols(kafka).find((key) => key.description === 'private:Kafka:createCluster');
  if (!create) throw new Error('kafkajs no longer has private:Kafka:createCluster: update highWatermarks()');

  const factory = (kafka as unknown as Record<symbol, (options: object) => OffsetCluster>)[create];
  const cluster = factory?.({ isolationLevel: 0, allowAutoTopicCreation: false }) as OffsetCluster;
  await cluster.connect();
  try {
    await cluster.addTargetTopic(topic);
    const [result] = await cluster.fetchTopicsOffset([
      { topic, partitions: partitions.map((partition) => ({ partition })), fromBeginning: false },
    ]);
    return new Map((result?.partitions ?? []).map(({ partition, offset }) => [partition, Number(offset)]));
  } finally {
    await cluster.disconnect();
  }
}

/** Last offset to consume (end offset minus one) of each partition that contains data, by partition. */
async function lastOffsets(topic: string): Promise<Map<number, number>> {
  const committed = await withAdmin((admin) => admin.fetchTopicOffsets(topic));
  const ends = await highWatermarks(
    topic,
    committed.map(({ partition }) => partition),
  );
  const last = new Map<number, number>();
  for (const { partition, low } of committed) {
    const end = ends.get(partition) ?? Number(low);
    if (end > Number(low)) last.set(partition, end - 1);
  }
  return last;
}

function toReadMessage(partition: number, message: KafkaMessage): ReadMessage {
  const headers: Record<string, string> = {};
  for (const [name, raw] of Object.entries(message.headers ?? {})) {
    // A header repeated under one name arrives as an array: the last one wins, as in Kafka's lastHeader().
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value !== undefined) headers[name] = value.toString();
  }
  return {
    key: message.key === null ? null : message.key.toString(),
    value: message.value,
    headers,
    partition,
    offset: Number(message.offset),
  };
}

function byPartitionThenOffset(a: ReadMessage, b: ReadMessage): number {
  return a.partition - b.partition || a.offset - b.offset;
}

/**
 * Reads `topic` from the beginning with a consumer group of its own until `count` messages
 * arrived (or, without `count`, up to the end offsets the topic had when called), or until
 * `timeoutMs` passed. Returns what arrived in partition, then offset order; never throws on timeout.
 */
export async function readTopic(topic: string, options: ReadTopicOptions = {}): Promise<ReadMessage[]> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const pending = options.count === undefined ? await lastOffsets(topic) : undefined;
  if (pending?.size === 0) return [];

  const consumer = testKafka('kafka-streamer-test-reader').consumer({
    groupId: `ks-test-reader-${randomBytes(6).toString('hex')}`,
    maxWaitTimeInMs: 100,
  });
  const messages: ReadMessage[] = [];
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const timer = setTimeout(finish, timeoutMs);

  // Batches of only transaction markers deliver no message, but still move lastOffset forward.
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    if (!pending) return;
    const target = pending.get(payload.partition);
    if (target !== undefined && Number(payload.lastOffset) >= target) pending.delete(payload.partition);
    if (pending.size === 0) finish();
  });

  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        messages.push(toReadMessage(partition, message));
        if (options.count !== undefined && messages.length >= options.count) finish();
      },
    });
    await done;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return messages.sort(byPartitionThenOffset);
}

/** A broker of a test's own, run by scripts/kafka.sh on another port. */
export interface LocalBroker {
  readonly brokers: string[];
  /** Stops it (SIGTERM); its topics and offsets stay on disk for `start`. */
  stop(): Promise<void>;
  /** Starts it again on its old storage, with the same settings. */
  start(): Promise<void>;
}

/** Returns whether global setup runs the local broker script, so tests may start brokers of their own. */
export function canStartLocalBroker(): boolean {
  return process.env.KAFKA_STREAMER_LOCAL_BROKER === '1';
}

/**
 * Starts a separate single-node broker with empty storage on `port` (its controller on
 * port + 1), with broker settings such as `{ 'auto.create.topics.enable': 'false' }`.
 * Pick ports no other test file uses; call `stop` when done.
 */
export async function startLocalBroker(port: number, settings: Record<string, string> = {}): Promise<LocalBroker> {
  const args = Object.entries(settings).map(([key, value]) => `${key}=${value}`);
  const env: NodeJS.ProcessEnv = { ...process.env, KAFKA_PORT: String(port) };
  delete env.KAFKA_BROKERS;
  delete env.KAFKA_CONTROLLER_PORT;
  delete env.KAFKA_KEEP_DATA;
  const script = async (command: string, extraEnv: NodeJS.ProcessEnv = {}) => {
    const { stdout } = await execFileAsync('bash', [KAFKA_SCRIPT, command, ...args], { env: { ...env, ...extraEnv } });
    return stdout.trim();
  };

  const address = await script('restart');
  return {
    brokers: splitBrokers(address),
    async stop() {
      await script('stop');
    },
    async start() {
      await script('start', { KAFKA_KEEP_DATA: '1' });
    },
  };
}
