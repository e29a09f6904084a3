import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';

const KAFKA_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'kafka.sh');

/**
 * Returns the brokers to use: KAFKA_BROKERS when set, otherwise the local broker,
 * started with `scripts/kafka.sh start` (which reuses a running one).
 */
export function demoBrokers(): string[] {
  const fromEnv = process.env.KAFKA_BROKERS?.trim();
  const list = fromEnv || execFileSync('bash', [KAFKA_SCRIPT, 'start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return list
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);
}

/**
 * Creates the run's topics with several partitions each, so that per-key order is
 * checked across partitions, and waits until they have leaders.
 */
export async function createTopics(brokers: readonly string[], topics: readonly string[], partitions: number): Promise<void> {
  const admin = new Kafka({ clientId: 'shop-demo-admin', brokers: [...brokers], logLevel: logLevel.ERROR }).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
    });
  } finally {
    await admin.disconnect();
  }
}
