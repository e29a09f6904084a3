import type { Message } from 'kafkajs';
import { InvalidOutboxRowError } from './errors.js';
import type { OutboxRow } from './sql/rows.js';

/** Header that carries the outbox id on every published message. */
export const HEADER_OUTBOX_ID = 'outbox-id';

// Upper bound of the per-record framing in a v2 record batch (length, attributes,
// varint deltas, header counts), added to the key, value and header bytes.
const RECORD_OVERHEAD_BYTES = 64;

/** A row turned into a KafkaJS message, with its size estimate. */
export interface PreparedMessage {
  readonly row: OutboxRow;
  readonly message: Message;
  readonly sizeBytes: number;
}

/** Consecutive rows sent in one `producer.sendBatch` call. */
export interface ProduceRequest {
  readonly messages: readonly PreparedMessage[];
  readonly sizeBytes: number;
}

function parseHeaders(row: OutboxRow): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(row.headers);
  } catch {
    throw new InvalidOutboxRowError(row.id, 'its headers column is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InvalidOutboxRowError(row.id, 'its headers column is not a JSON object');
  }
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value !== 'string') {
      throw new InvalidOutboxRowError(row.id, `header ${JSON.stringify(name)} is not a string`);
    }
  }
  return parsed as Record<string, string>;
}

/**
 * Builds the Kafka message of a row: the stored key, the stored payload bytes as
 * they are (never re-serialized), the stored headers plus `outbox-id`, and the
 * stored partition if any. Throws InvalidOutboxRowError for unusable headers.
 */
export function prepareMessage(row: OutboxRow): PreparedMessage {
  const headers = { ...parseHeaders(row), [HEADER_OUTBOX_ID]: row.id };
  const value = Buffer.from(row.payload, 'utf8');
  const message: Message = { key: row.key, value, headers };
  if (row.partition !== null) message.partition = row.partition;

  let sizeBytes = RECORD_OVERHEAD_BYTES + value.length + (row.key === null ? 0 : Buffer.byteLength(row.key));
  for (const [name, headerValue] of Object.entries(headers)) {
    sizeBytes += Buffer.byteLength(name) + Buffer.byteLength(headerValue) + 8;
  }
  return { row, message, sizeBytes };
}

/**
 * Splits messages, in order, into requests of at most `maxRequestBytes`. A
 * message larger than the limit goes alone, so a broker error concerns that message only.
 */
export function splitIntoRequests(messages: readonly PreparedMessage[], maxRequestBytes: number): ProduceRequest[] {
  const requests: ProduceRequest[] = [];
  let current: PreparedMessage[] = [];
  let currentBytes = 0;

  for (const prepared of messages) {
    if (current.length > 0 && currentBytes + prepared.sizeBytes > maxRequestBytes) {
      requests.push({ messages: current, sizeBytes: currentBytes });
      current = [];
      currentBytes = 0;
    }
    current.push(prepared);
    currentBytes += prepared.sizeBytes;
  }
  if (current.length > 0) requests.push({ messages: current, sizeBytes: currentBytes });
  return requests;
}
