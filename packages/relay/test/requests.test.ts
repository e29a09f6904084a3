import { describe, expect, it } from 'vitest';
import { InvalidOutboxRowError } from '../src/index.js';
import { prepareMessage, splitIntoRequests } from '../src/requests.js';
import type { OutboxRow } from '../src/sql/rows.js';

function row(id: string, payload: string, overrides: Partial<OutboxRow> = {}): OutboxRow {
  return {
    id,
    messageId: `m-${id}`,
    topic: 't',
    key: 'k',
    partition: null,
    type: 'update',
    payload,
    headers: '{"message-type":"update"}',
    attempts: 0,
    ...overrides,
  };
}

describe('prepareMessage', () => {
  it('sends the stored bytes, key, headers and outbox id', () => {
    const prepared = prepareMessage(row('1533947986218845197', '{"id":1533947986218845197,"b":"é"}', { partition: 2 }));

    expect(prepared.message.value).toEqual(Buffer.from('{"id":1533947986218845197,"b":"é"}', 'utf8'));
    expect(prepared.message.key).toBe('k');
    expect(prepared.message.partition).toBe(2);
    expect(prepared.message.headers).toEqual({ 'message-type': 'update', 'outbox-id': '1533947986218845197' });
  });

  it('counts the bytes of key, value and headers', () => {
    const prepared = prepareMessage(row('1', 'x'.repeat(1000)));

    expect(prepared.sizeBytes).toBeGreaterThan(1000);
    expect(prepared.sizeBytes).toBeLessThan(1200);
  });

  it.each([
    ['not json', 'is not valid JSON'],
    ['[1]', 'is not a JSON object'],
    ['{"a":1}', 'header "a" is not a string'],
  ])('rejects headers %s', (headers, reason) => {
    expect(() => prepareMessage(row('7', '{}', { headers }))).toThrow(InvalidOutboxRowError);
    expect(() => prepareMessage(row('7', '{}', { headers }))).toThrow(reason);
    expect(() => prepareMessage(row('7', '{}', { headers }))).toThrow('outbox id 7 cannot be published');
  });
});

describe('splitIntoRequests', () => {
  const sizes = (requests: ReturnType<typeof splitIntoRequests>) => requests.map((r) => r.messages.map((m) => m.row.id));

  it('keeps order and stays under the limit', () => {
    const messages = ['1', '2', '3', '4'].map((id) => prepareMessage(row(id, 'x'.repeat(400))));
    const requests = splitIntoRequests(messages, 1024);

    expect(sizes(requests)).toEqual([['1', '2'], ['3', '4']]);
    for (const request of requests) expect(request.sizeBytes).toBeLessThanOrEqual(1024);
  });

  it('sends a message over the limit alone', () => {
    const messages = [
      prepareMessage(row('1', 'small')),
      prepareMessage(row('2', 'x'.repeat(5000))),
      prepareMessage(row('3', 'small')),
    ];

    expect(sizes(splitIntoRequests(messages, 1024))).toEqual([['1'], ['2'], ['3']]);
  });

  it('returns no request for no message', () => {
    expect(splitIntoRequests([], 1024)).toEqual([]);
  });
});
