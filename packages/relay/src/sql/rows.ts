import { OUTBOX_COLUMNS as C, type Dialect } from '@kafka-streamer/core';

/** One outbox row as the relay publishes it. */
export interface OutboxRow {
  /** Outbox id as decimal text, exact even past 2^53. */
  readonly id: string;
  readonly messageId: string;
  readonly topic: string;
  readonly key: string | null;
  readonly partition: number | null;
  readonly type: string;
  /** Message value: the stored text, sent as its UTF-8 bytes. */
  readonly payload: string;
  /** JSON object text of header name to string value. */
  readonly headers: string;
  /** Failed attempts before this claim. */
  readonly attempts: number;
}

interface RawRow {
  id: string | number | bigint;
  message_id: string;
  topic: string;
  message_key: string | null;
  kafka_partition: number | string | null;
  message_type: string;
  payload: string | Buffer;
  headers: string | Buffer;
  attempts: number | string;
}

/**
 * Returns the select list of a claimed row. The id is cast to text in SQL because
 * mysql2 and better-sqlite3 return a bigint as a JS number, which loses digits past 2^53.
 */
export function rowColumns(dialect: Dialect, alias?: string): string {
  const prefix = alias === undefined ? '' : `${alias}.`;
  const idText = dialect === 'mysql' ? `CAST(${prefix}${C.id} AS CHAR)` : `CAST(${prefix}${C.id} AS TEXT)`;
  const others = [C.messageId, C.topic, C.key, C.partition, C.type, C.payload, C.headers, C.attempts];
  return [`${idText} AS ${C.id}`, ...others.map((name) => `${prefix}${name}`)].join(', ');
}

function text(value: string | Buffer): string {
  return typeof value === 'string' ? value : value.toString('utf8');
}

export function toOutboxRow(raw: RawRow): OutboxRow {
  return {
    id: String(raw.id),
    messageId: raw.message_id,
    topic: raw.topic,
    key: raw.message_key,
    partition: raw.kafka_partition === null ? null : Number(raw.kafka_partition),
    type: raw.message_type,
    payload: text(raw.payload),
    headers: text(raw.headers),
    attempts: Number(raw.attempts),
  };
}

/** Sorts rows by id numerically; ids are decimal text of non-negative integers. */
export function byId(a: OutboxRow, b: OutboxRow): number {
  if (a.id.length !== b.id.length) return a.id.length - b.id.length;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}
