import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTopic, type ReadMessage, readTopic, uniqueTopic } from '../../../../test/support/kafka.js';
import { TcpProxy } from './tcp-proxy.js';

const execFileAsync = promisify(execFile);
const KAFKA_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'scripts', 'kafka.sh');

/** Returns a TCP port that was free on 127.0.0.1 a moment ago. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Returns the folder where scripts/kafka.sh keeps the state of the broker on `port`. */
function brokerStateDir(port: number): string {
  const cache = process.env.KAFKA_STREAMER_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kafka-streamer');
  return join(cache, `broker-${port}`);
}

/** Idle time in ms after which the fault broker closes a connection (connections.max.idle.ms). */
export const FAULT_BROKER_IDLE_MS = 10_000;

/**
 * A second local broker whose advertised listener is a TcpProxy, so that every
 * connection a client makes (bootstrap and the ones metadata names) goes through
 * the proxy, where tests inject faults. It closes idle connections after 10 s.
 */
export class FaultBroker {
  private ports: { broker: number; controller: number; proxy: number } | undefined;
  private tcpProxy: TcpProxy | undefined;

  get proxy(): TcpProxy {
    if (this.tcpProxy === undefined) throw new Error('FaultBroker.start() was not called');
    return this.tcpProxy;
  }

  get brokers(): string[] {
    return [`127.0.0.1:${this.proxy.listenPort}`];
  }

  /**
   * Starts the proxy and a broker on ports of its own, so that test runs in the
   * same tree at the same time do not share (or stop) each other's fault broker.
   */
  async start(): Promise<void> {
    this.ports = { broker: await freePort(), controller: await freePort(), proxy: await freePort() };
    this.tcpProxy = new TcpProxy(this.ports.proxy, { host: '127.0.0.1', port: this.ports.broker });
    await this.tcpProxy.start();
    await this.script('start', false);
  }

  /** Creates a topic with two partitions on this broker and returns its name. */
  async createTopic(prefix: string): Promise<string> {
    return this.withBrokers(() => createTopic(uniqueTopic(prefix), { partitions: 2 }));
  }

  /** Reads a topic up to its end offsets; with `count`, stops once that many messages arrived. */
  async readTopic(topic: string, count?: number): Promise<ReadMessage[]> {
    const options = count === undefined ? { timeoutMs: 30_000 } : { count, timeoutMs: 30_000 };
    return this.withBrokers(() => readTopic(topic, options));
  }

  /** Runs `work` with the shared Kafka test helpers pointed at this broker. */
  private async withBrokers<T>(work: () => Promise<T>): Promise<T> {
    const previous = process.env.KAFKA_BROKERS;
    process.env.KAFKA_BROKERS = this.brokers.join(',');
    try {
      return await work();
    } finally {
      process.env.KAFKA_BROKERS = previous;
    }
  }

  /** Stops the broker and starts it again on the same data, as an operator restart would. */
  async restart(): Promise<void> {
    await this.script('stop', true);
    await this.script('start', true);
  }

  async stop(): Promise<void> {
    if (this.ports === undefined) return;
    await this.script('stop', false).catch(() => {});
    await this.tcpProxy?.close();
    await rm(brokerStateDir(this.ports.broker), { recursive: true, force: true });
    await rm(`${brokerStateDir(this.ports.broker)}.lock`, { force: true });
  }

  private async script(command: 'start' | 'stop', keepData: boolean): Promise<void> {
    const ports = this.ports as NonNullable<FaultBroker['ports']>;
    const settings = [
      `advertised.listeners=PLAINTEXT://127.0.0.1:${ports.proxy}`,
      `connections.max.idle.ms=${FAULT_BROKER_IDLE_MS}`,
    ];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KAFKA_PORT: String(ports.broker),
      KAFKA_CONTROLLER_PORT: String(ports.controller),
      KAFKA_KEEP_DATA: keepData ? '1' : '0',
    };
    delete env.KAFKA_BROKERS;
    await execFileAsync('bash', [KAFKA_SCRIPT, command, ...(command === 'start' ? settings : [])], { env });
  }
}
