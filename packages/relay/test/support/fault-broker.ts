import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { TcpProxy } from './tcp-proxy.js';

const execFileAsync = promisify(execFile);
const KAFKA_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'scripts', 'kafka.sh');

/** Broker port of the fault-test broker; its controller takes the next port. */
export const FAULT_BROKER_PORT = Number(process.env.KS_FAULT_BROKER_PORT ?? 29092);
/** Port of the proxy in front of it, which the broker advertises as its address. */
export const FAULT_PROXY_PORT = FAULT_BROKER_PORT + 100;

/** Idle time in ms after which the fault broker closes a connection (connections.max.idle.ms). */
export const FAULT_BROKER_IDLE_MS = 10_000;

/**
 * A second local broker whose advertised listener is a TcpProxy, so that every
 * connection a client makes (bootstrap and the ones metadata names) goes through
 * the proxy, where tests inject faults. It closes idle connections after 10 s.
 */
export class FaultBroker {
  readonly proxy = new TcpProxy(FAULT_PROXY_PORT, { host: '127.0.0.1', port: FAULT_BROKER_PORT });
  readonly brokers = [`127.0.0.1:${FAULT_PROXY_PORT}`];

  async start(): Promise<void> {
    await this.proxy.start();
    await this.script('start', false);
  }

  /** Stops the broker and starts it again on the same data, as an operator restart would. */
  async restart(): Promise<void> {
    await this.script('stop', true);
    await this.script('start', true);
  }

  async stop(): Promise<void> {
    await this.script('stop', false).catch(() => {});
    await this.proxy.close();
  }

  private async script(command: 'start' | 'stop', keepData: boolean): Promise<void> {
    const settings = [
      `advertised.listeners=PLAINTEXT://127.0.0.1:${FAULT_PROXY_PORT}`,
      `connections.max.idle.ms=${FAULT_BROKER_IDLE_MS}`,
    ];
    const env = { ...process.env, KAFKA_PORT: String(FAULT_BROKER_PORT), KAFKA_KEEP_DATA: keepData ? '1' : '0' };
    delete env.KAFKA_BROKERS;
    await execFileAsync('bash', [KAFKA_SCRIPT, command, ...(command === 'start' ? settings : [])], { env });
  }
}
