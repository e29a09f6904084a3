import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../src/backoff.js';
import { classifyKafkaError } from '../src/classify.js';

function protocolError(type: string, retriable: boolean): KafkaJSProtocolError {
  return new KafkaJSProtocolError({ message: `broker said ${type}`, type, code: 1, retriable } as never);
}

describe('classifyKafkaError', () => {
  it('finds MESSAGE_TOO_LARGE inside the non-retriable wrapper', () => {
    const inner = protocolError('MESSAGE_TOO_LARGE', false);
    // KafkaJS's retrier wraps a non-retriable error with the original as its cause.
    const wrapped = Object.assign(new KafkaJSNonRetriableError(inner), { cause: inner });

    expect(classifyKafkaError(wrapped)).toEqual({
      retriable: false,
      kafkaType: 'MESSAGE_TOO_LARGE',
      message: 'broker said MESSAGE_TOO_LARGE',
    });
  });

  it('treats exhausted connection retries as retriable', () => {
    const inner = new KafkaJSConnectionError('Connection error: ECONNREFUSED');
    const exhausted = new KafkaJSNumberOfRetriesExceeded(inner, { retryCount: 3, retryTime: 1000 });

    expect(classifyKafkaError(exhausted).retriable).toBe(true);
  });

  it('treats an unknown topic as retriable', () => {
    const inner = protocolError('UNKNOWN_TOPIC_OR_PARTITION', true);

    expect(classifyKafkaError(new KafkaJSNumberOfRetriesExceeded(inner, { retryCount: 3, retryTime: 1 }))).toMatchObject({
      retriable: true,
      kafkaType: 'UNKNOWN_TOPIC_OR_PARTITION',
    });
  });

  it('treats INVALID_RECORD and a TypeError as permanent', () => {
    expect(classifyKafkaError(protocolError('INVALID_RECORD', false)).retriable).toBe(false);
    expect(classifyKafkaError(new TypeError('bad value')).retriable).toBe(false);
  });
});

describe('backoffDelayMs', () => {
  const retry = { initialDelayMs: 500, factor: 2, maxDelayMs: 60_000, maxAttempts: 10 };

  it('grows exponentially between half and all of the base delay', () => {
    expect(backoffDelayMs(retry, 1, () => 0)).toBe(250);
    expect(backoffDelayMs(retry, 1, () => 1)).toBe(500);
    expect(backoffDelayMs(retry, 3, () => 1)).toBe(2000);
  });

  it('caps the delay', () => {
    expect(backoffDelayMs(retry, 30, () => 1)).toBe(60_000);
    expect(backoffDelayMs(retry, 30, () => 0)).toBe(30_000);
  });
});
