import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/databases.js';
import { brokers, createTopic, deleteTopic, readTopic, uniqueTopic } from '../../../../test/support/kafka.js';
import { migrateOutbox } from '@kafka-streamer/core';
import { CliProcess, requireBuiltCli, runCliProcess, waitFor } from './support/cli-process.js';
import { insertPending } from './support/outbox-rows.js';

async function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: await response.text() };
}

function metricValue(metrics: string, name: string): number | undefined {
  const line = metrics.split('\n').find((candidate) => candidate.startsWith(name));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

function withPassword(url: string, password: string): string {
  const parsed = new URL(url);
  parsed.password = password;
  return parsed.toString();
}

describe('run against PostgreSQL and the broker', () => {
  let db: TestDatabase;
  let topic: string;
  let relay: CliProcess;
  let port: number;

  beforeAll(async () => {
    requireBuiltCli();
    db = await createTestDatabase('postgres', 'ks_cli_run');
    await migrateOutbox(db.knex);
    topic = await createTopic(uniqueTopic('ks-cli-run'));
    for (let n = 1; n <= 5; n++) await insertPending(db.knex, topic, `key-${n % 2}`, `{"n":${n}}`);

    const configFile = join(mkdtempSync(join(tmpdir(), 'ks-cli-run-')), 'relay.json');
    writeFileSync(configFile, JSON.stringify({ batchSize: 250, pollInterval: 999 }));

    // The test server trusts every password; the URL carries one to check that logs never show it.
    relay = new CliProcess(
      [
        'run',
        '--config',
        configFile,
        '--database-url',
        withPassword(db.url, 'hunter2'),
        '--metrics-port',
        '0',
        '--status-interval',
        '200',
        '--relay-id',
        'cli-run-test',
      ],
      { KAFKA_STREAMER_BROKERS: brokers().join(','), KAFKA_STREAMER_POLL_INTERVAL: '100' },
    );
    const listening = await relay.waitForLog('metrics server listening');
    port = Number(listening.port);
  });

  afterAll(async () => {
    if (relay !== undefined && relay.child.exitCode === null) relay.kill('SIGKILL');
    await db?.destroy();
    if (topic !== undefined) await deleteTopic(topic);
  });

  it('publishes the outbox rows to the topic', async () => {
    const messages = await readTopic(topic, { count: 5 });
    expect(messages.map((message) => message.value?.toString()).sort()).toEqual([1, 2, 3, 4, 5].map((n) => `{"n":${n}}`));
    const remaining = async () => Number((await db.knex('kafka_streamer_outbox').count({ n: '*' }))[0]?.n);
    await waitFor(async () => ((await remaining()) === 0 ? true : undefined), 'the published rows to be deleted');
  });

  it('logs the start with sources and no password', () => {
    const start = relay.logLines().find((line) => line.msg === 'kafka-streamer-relay starting');
    const config = start?.config as Record<string, { value: unknown; source: string }>;

    expect(config.databaseUrl?.source).toBe('cli');
    expect(String(config.databaseUrl?.value)).toContain(':***@');
    expect(config.brokers?.source).toBe('env');
    expect(config.pollInterval).toEqual({ value: 100, source: 'env' });
    expect(config.batchSize).toEqual({ value: 250, source: 'file' });
    expect(config.maxAttempts).toEqual({ value: 10, source: 'default' });
    expect(config.relayId).toEqual({ value: 'cli-run-test', source: 'cli' });
    expect(relay.stdout).not.toContain('hunter2');
  });

  it('answers /healthz', async () => {
    const health = await httpGet(port, '/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toBe('ok\n');
  });

  it('answers /readyz with 200 once polling', async () => {
    const ready = await waitFor(async () => {
      const response = await httpGet(port, '/readyz');
      return response.status === 200 ? response : undefined;
    }, '/readyz to return 200');
    expect(JSON.parse(ready.body)).toEqual({ ready: true, reasons: [] });
  });

  it('exports the published count and outbox gauges on /metrics', async () => {
    const metrics = await waitFor(async () => {
      const response = await httpGet(port, '/metrics');
      const published = metricValue(response.body, `kafka_streamer_relay_rows_published_total{topic="${topic}"}`);
      const pending = metricValue(response.body, 'kafka_streamer_relay_outbox_pending_rows');
      return published === 5 && pending === 0 ? response.body : undefined;
    }, 'published 5 and pending 0 on /metrics');

    expect(metricValue(metrics, 'kafka_streamer_relay_batches_total')).toBeGreaterThanOrEqual(1);
    expect(metricValue(metrics, 'kafka_streamer_relay_outbox_parked_rows')).toBe(0);
    expect(metricValue(metrics, 'kafka_streamer_relay_outbox_oldest_pending_age_seconds')).toBe(0);
    expect(metrics).toContain('kafka_streamer_relay_batch_duration_seconds_bucket');
    expect(metricValue(metrics, 'kafka_streamer_relay_ready')).toBe(1);
  });

  it('answers 404 on other paths', async () => {
    expect((await httpGet(port, '/nope')).status).toBe(404);
  });

  it('exits 0 on SIGTERM', async () => {
    relay.kill('SIGTERM');
    const result = await relay.exited;

    expect(result.code).toBe(0);
    const exiting = relay.logLines().find((line) => line.msg === 'kafka-streamer-relay exiting');
    expect(exiting?.exitCode).toBe(0);
  });
});

describe('run exit codes', () => {
  let db: TestDatabase;
  let blackhole: Server;
  let blackholePort: number;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    requireBuiltCli();
    db = await createTestDatabase('sqlite', 'ks_cli_exit');
    await migrateOutbox(db.knex);

    // A "broker" that accepts connections and never replies, so the producer's connect hangs.
    blackhole = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
    blackholePort = (blackhole.address() as { port: number }).port;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => blackhole?.close(resolve));
    await db?.destroy();
  });

  it('exits 130 on a second SIGTERM during the stop', async () => {
    const relay = new CliProcess(
      [
        '--database-url',
        db.url,
        '--brokers',
        `127.0.0.1:${blackholePort}`,
        '--connection-timeout',
        '60000',
        '--request-timeout',
        '60000',
        '--shutdown-grace',
        '60000',
        '--metrics-port',
        '0',
      ],
    );
    try {
      const listening = await relay.waitForLog('metrics server listening');
      await waitFor(async () => (sockets.size > 0 ? true : undefined), 'the producer to connect to the silent broker');

      const readiness = await httpGet(Number(listening.port), '/readyz');
      expect(readiness.status).toBe(503);
      expect(JSON.parse(readiness.body).reasons).toContain('no successful poll yet');

      relay.kill('SIGTERM');
      await relay.waitForLog('relay stopping');
      relay.kill('SIGTERM');
      const result = await relay.exited;

      expect(result.code).toBe(130);
    } finally {
      if (relay.child.exitCode === null) relay.kill('SIGKILL');
    }
  });

  it('exits 0 on SIGINT', async () => {
    const relay = new CliProcess(['--database-url', db.url, '--brokers', brokers().join(',')]);
    try {
      // The engine logs this line once the relay's signal handlers are in place.
      await relay.waitForLog('relay starting');
      relay.kill('SIGINT');
      const result = await relay.exited;

      expect(result.code).toBe(0);
      expect(relay.logLines().some((line) => line.msg === 'relay stopped')).toBe(true);
    } finally {
      if (relay.child.exitCode === null) relay.kill('SIGKILL');
    }
  });

  it('exits 0 on SIGTERM during start-up', async () => {
    // The silent server plays a database whose connect hangs.
    const connections = sockets.size;
    const relay = new CliProcess(['--brokers', brokers().join(',')], {
      KAFKA_STREAMER_DATABASE_URL: `postgres://postgres@127.0.0.1:${blackholePort}/db`,
    });
    try {
      await waitFor(async () => (sockets.size > connections ? true : undefined), 'the database connect to start');
      relay.kill('SIGTERM');
      const result = await relay.exited;

      expect(result.code).toBe(0);
      expect(relay.stdout).toContain('SIGTERM received before the relay started; exiting');
    } finally {
      if (relay.child.exitCode === null) relay.kill('SIGKILL');
    }
  });

  it('exits 1 when the database is unreachable', async () => {
    const result = await runCliProcess(['run', '--brokers', brokers().join(',')], {
      KAFKA_STREAMER_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/unreachable',
    });

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('cannot connect to the database');
  });

  it('logs a refused MariaDB login as JSON', async () => {
    const result = await runCliProcess(['run', '--brokers', brokers().join(',')], {
      KAFKA_STREAMER_DATABASE_URL: 'mysql://ks_no_such_user:wrong@127.0.0.1:3306/mysql',
    });

    expect(result.code).toBe(1);
    expect(result.stderr).not.toContain('Acquire connection error');
    const lines = result.stdout.trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(result.stdout).toContain('Access denied');
  });

  it('exits 1 when the metrics port is taken', async () => {
    const result = await runCliProcess(['--database-url', db.url, '--brokers', brokers().join(','), '--metrics-port', String(blackholePort)]);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('EADDRINUSE');
  });

  it('exits 1 when migrate cannot connect', async () => {
    const result = await runCliProcess(['migrate', '--database-url', 'mysql://root@127.0.0.1:1/unreachable']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot connect to the database');
  });

  it('exits 2 on an invalid option value', async () => {
    const result = await runCliProcess(['run', '--database-url', db.url, '--brokers', '127.0.0.1:1'], {
      KAFKA_STREAMER_MAX_BATCHES_IN_FLIGHT: '0',
    });

    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error: invalid --max-batches-in-flight (set by KAFKA_STREAMER_MAX_BATCHES_IN_FLIGHT) "0": expected an integer from 1 to 64 [ERR_KS_CONFIGURATION]\n',
    );
  });

  it('exits 2 on an unknown command option', async () => {
    const result = await runCliProcess(['status', '--colour']);
    expect(result.code).toBe(2);
  });
});
