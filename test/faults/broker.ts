import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { FaultProxy } from './proxy.js';

const execFileAsync = promisify(execFile);
const KAFKA_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'kafka.sh');

/**
 * The suite's own single-node broker, started by scripts/kafka.sh on ports no
 * other test uses (see ports.ts), so stopping it affects no other test. It advertises the proxy's
 * address, so every connection a client makes (bootstrap and the ones metadata
 * names) goes through the proxy. Topics are never created automatically.
 */
export class FaultBroker {
  readonly proxy: FaultProxy;
  readonly brokers: string[];
  restarts = 0;

  /** `port` is the broker's client port (its controller takes the next one); the proxy listens on `proxyPort`. */
  constructor(
    private readonly port: number,
    private readonly proxyPort: number,
  ) {
    this.proxy = new FaultProxy(proxyPort, port);
    this.brokers = [`127.0.0.1:${proxyPort}`];
  }

  async start(): Promise<void> {
    await this.proxy.start();
    await this.script('restart', false);
  }

  /** Stops the broker with SIGTERM and starts it again on the same data, as an operator restart would. */
  async restart(): Promise<void> {
    await this.script('stop', true);
    await this.script('start', true);
    this.restarts += 1;
  }

  async stop(): Promise<void> {
    await this.script('stop', false).catch(() => undefined);
    await this.proxy.close();
  }

  kafka(clientId: string): Kafka {
    return new Kafka({ clientId, brokers: this.brokers, logLevel: logLevel.NOTHING, connectionTimeout: 3000 });
  }

  async createTopics(names: readonly string[], partitions: number): Promise<void> {
    const admin = this.kafka('ks-faults-admin').admin();
    await admin.connect();
    try {
      await admin.createTopics({
        topics: names.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
        waitForLeaders: true,
      });
    } finally {
      await admin.disconnect();
    }
  }

  private async script(command: 'restart' | 'start' | 'stop', keepData: boolean): Promise<void> {
    const settings = [
      `advertised.listeners=PLAINTEXT://127.0.0.1:${this.proxyPort}`,
      'auto.create.topics.enable=false',
      'message.max.bytes=1048588',
    ];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KAFKA_PORT: String(this.port),
      KAFKA_KEEP_DATA: keepData ? '1' : '0',
      KAFKA_STOP_TIMEOUT: '10',
      KAFKA_HEAP: '-Xms256m -Xmx768m',
    };
    delete env.KAFKA_BROKERS;
    delete env.KAFKA_CONTROLLER_PORT;
    const args = command === 'stop' ? [] : settings;
    await execFileAsync('bash', [KAFKA_SCRIPT, command, ...args], { env, timeout: 180_000 });
  }
}
