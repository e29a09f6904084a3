import { EventEmitter } from 'node:events';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxDatabaseError } from '../../src/errors.js';
import { Readiness, type RelayEventSource } from '../../src/http/readiness.js';
import { type HealthServer, startHealthServer } from '../../src/http/server.js';
import { observeRelay } from '../../src/metrics/relay-listeners.js';
import { createRelayMetrics, errorCode } from '../../src/metrics/registry.js';

async function sampleValue(metrics: ReturnType<typeof createRelayMetrics>, name: string, labels: Record<string, string> = {}) {
  const metric = await metrics.registry.getSingleMetric(name)?.get();
  const sample = metric?.values.find((value) =>
    Object.entries(labels).every(([label, expected]) => (value.labels as Record<string, unknown>)[label] === expected),
  );
  return sample?.value;
}

describe('relay event metrics', () => {
  const relay = new EventEmitter() as EventEmitter & RelayEventSource;
  const metrics = createRelayMetrics({ processMetrics: false });
  observeRelay(relay, metrics);

  relay.emit('published', { ids: ['1', '2', '3'], topic: 'orders' });
  relay.emit('published', { ids: ['4'], topic: 'payments' });
  relay.emit('batch', { rows: 4, published: 4, parked: 0, retried: 0, released: 0, durationMs: 250 });
  relay.emit('retry', { ids: ['5', '6'], attempt: 1, delayMs: 500, error: new Error('timeout') });
  relay.emit('parked', { id: '7', error: new Error('too large') });
  relay.emit('error', { error: new OutboxDatabaseError('claim', [], new Error('down')) });
  relay.emit('error', { error: new TypeError('bug') });

  it('counts published rows by topic', async () => {
    expect(await sampleValue(metrics, 'kafka_streamer_relay_rows_published_total', { topic: 'orders' })).toBe(3);
    expect(await sampleValue(metrics, 'kafka_streamer_relay_rows_published_total', { topic: 'payments' })).toBe(1);
  });

  it('counts batches and observes their duration', async () => {
    expect(await sampleValue(metrics, 'kafka_streamer_relay_batches_total')).toBe(1);
    const histogram = await metrics.registry.getSingleMetric('kafka_streamer_relay_batch_duration_seconds')?.get();
    const sum = histogram?.values.find((value) => value.metricName === 'kafka_streamer_relay_batch_duration_seconds_sum');
    expect(sum?.value).toBe(0.25);
  });

  it('counts retried and parked rows', async () => {
    expect(await sampleValue(metrics, 'kafka_streamer_relay_rows_retried_total')).toBe(2);
    expect(await sampleValue(metrics, 'kafka_streamer_relay_rows_parked_total')).toBe(1);
  });

  it('counts errors by code', async () => {
    expect(await sampleValue(metrics, 'kafka_streamer_relay_errors_total', { code: 'ERR_KS_OUTBOX_DATABASE' })).toBe(1);
    expect(await sampleValue(metrics, 'kafka_streamer_relay_errors_total', { code: 'TypeError' })).toBe(1);
  });

  it('labels errors without code by name', () => {
    expect(errorCode(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe('ECONNREFUSED');
    expect(errorCode(new RangeError('x'))).toBe('RangeError');
    expect(errorCode('text')).toBe('UNKNOWN');
  });
});

describe('health server', () => {
  const metrics = createRelayMetrics({ processMetrics: false });
  const relay = new EventEmitter() as EventEmitter & RelayEventSource;
  const readiness = new Readiness(30_000);
  readiness.track(relay);
  let server: HealthServer;

  beforeAll(async () => {
    server = await startHealthServer({ host: '127.0.0.1', port: 0, metrics, readiness, logger: pino({ level: 'silent' }) });
  });

  afterAll(async () => {
    await server?.close();
  });

  const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;

  it('listens on the port it was given', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
  });

  it('returns 503 until the relay is ready', async () => {
    const response = await fetch(url('/readyz'));
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ ready: false, reasons: ['relay not started'] });
  });

  it('returns 200 once the relay connected and polled', async () => {
    relay.emit('started');
    relay.emit('connected');
    relay.emit('idle');
    const response = await fetch(url('/readyz'));
    expect(response.status).toBe(200);
  });

  it('sets the ready gauge on scrape', async () => {
    const response = await fetch(url('/metrics'));
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toContain('kafka_streamer_relay_ready 1');
  });

  it('rejects other methods with 405', async () => {
    const response = await fetch(url('/metrics'), { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('returns 404 for unknown paths', async () => {
    expect((await fetch(url('/'))).status).toBe(404);
  });
});
