import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Readiness, type RelayEventSource } from '../../src/http/readiness.js';
import { OutboxDatabaseError } from '../../src/errors.js';

function fakeRelay(): EventEmitter & RelayEventSource {
  return new EventEmitter() as EventEmitter & RelayEventSource;
}

function setup() {
  let now = 1_000_000;
  const relay = fakeRelay();
  const readiness = new Readiness(30_000, () => now);
  readiness.track(relay);
  const advance = (ms: number) => {
    now += ms;
  };
  return { relay, readiness, advance };
}

describe('readiness', () => {
  it('is not ready before start', () => {
    const { readiness } = setup();
    expect(readiness.check()).toEqual({ ready: false, reasons: ['relay not started'] });
  });

  it('waits for the first poll after start', () => {
    const { relay, readiness } = setup();
    relay.emit('started');
    expect(readiness.check()).toEqual({ ready: false, reasons: ['no successful poll yet', 'producer not connected'] });

    relay.emit('idle');
    expect(readiness.check()).toEqual({ ready: false, reasons: ['producer not connected'] });

    relay.emit('connected');
    expect(readiness.check()).toEqual({ ready: true, reasons: [] });
  });

  it('follows producer connect and disconnect events', () => {
    const { relay, readiness } = setup();
    relay.emit('started');
    relay.emit('connected');
    relay.emit('idle');
    expect(readiness.check().ready).toBe(true);

    relay.emit('disconnected');
    expect(readiness.check().reasons).toEqual(['producer not connected']);

    relay.emit('connected');
    expect(readiness.check().ready).toBe(true);
  });

  it('turns unready when polls stop succeeding', () => {
    const { relay, readiness, advance } = setup();
    relay.emit('started');
    relay.emit('connected');
    relay.emit('idle');
    advance(30_001);
    expect(readiness.check().reasons).toEqual(['no successful poll in the last 30000 ms']);

    relay.emit('idle');
    expect(readiness.check().ready).toBe(true);
  });

  it('turns unready after a failed poll', () => {
    const { relay, readiness, advance } = setup();
    relay.emit('started');
    relay.emit('connected');
    relay.emit('idle');
    advance(1);
    relay.emit('error', { error: new OutboxDatabaseError('claim', [], new Error('connection refused')) });
    expect(readiness.check().reasons).toEqual(['last poll failed']);

    advance(1);
    relay.emit('batch', { rows: 1, published: 1, parked: 0, retried: 0, released: 0, durationMs: 5 });
    expect(readiness.check().ready).toBe(true);
  });

  it('turns unready on a broker connection error until a publish succeeds', () => {
    const { relay, readiness } = setup();
    relay.emit('started');
    relay.emit('connected');
    relay.emit('idle');
    const connectionError = new Error('Connection error: connect ECONNREFUSED');
    connectionError.name = 'KafkaJSConnectionError';
    relay.emit('retry', { ids: ['1'], attempt: 1, delayMs: 500, error: new Error('publish failed', { cause: connectionError }) });
    expect(readiness.check().reasons).toEqual(['broker connection failed since the last publish']);

    relay.emit('published', { ids: ['1'], topic: 't' });
    expect(readiness.check().ready).toBe(true);
  });

  it('is not ready while stopping', () => {
    const { relay, readiness } = setup();
    relay.emit('started');
    relay.emit('connected');
    relay.emit('idle');
    relay.emit('stopping');
    expect(readiness.check().reasons).toEqual(['relay stopping']);
  });
});
