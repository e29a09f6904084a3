import { randomUUID } from 'node:crypto';
import { DEFAULT_OUTBOX_TABLE, dialectOf, migrateOutbox } from '@kafka-streamer/core';
import type { Message } from 'kafkajs';
import type { Knex } from 'knex';

/** Shape of a benchmark backlog: `rows` messages of about `payloadBytes` over `keys` keys, in one topic. */
export interface BacklogShape {
  readonly topic: string;
  readonly rows: number;
  readonly keys: number;
  readonly payloadBytes: number;
}

// Rows per INSERT ... SELECT, so that no single statement writes the whole backlog in one transaction.
const FILL_CHUNK = 50_000;

/** Filler that brings the payload JSON to about `payloadBytes`. */
function filler(payloadBytes: number): string {
  return 'x'.repeat(Math.max(0, payloadBytes - 40));
}

export function keyOf(index: number, keys: number): string {
  return `key-${index % keys}`;
}

/** Payload text of row `index`, the same text the SQL fill writes. */
export function payloadOf(index: number, payloadBytes: number): string {
  return `{"n":${index},"filler":"${filler(payloadBytes)}"}`;
}

function fillSql(dialect: ReturnType<typeof dialectOf>): string {
  const columns = 'message_id, topic, message_key, message_type, payload, headers';
  switch (dialect) {
    case 'postgres':
      return `INSERT INTO ${DEFAULT_OUTBOX_TABLE} (${columns})
        SELECT u, ?, 'key-' || (g % ?), 'update', '{"n":' || g || ',"filler":"' || ? || '"}',
          '{"message-id":"' || u || '","message-type":"update"}'
        FROM (SELECT g, gen_random_uuid()::text AS u FROM generate_series(?::bigint, ?::bigint) AS g) s ORDER BY g`;
    case 'mysql':
      // seq_<from>_to_<to> is MariaDB's SEQUENCE engine; the bounds cannot be bound parameters.
      return `INSERT INTO ${DEFAULT_OUTBOX_TABLE} (${columns})
        SELECT u, ?, CONCAT('key-', seq % ?), 'update', CONCAT('{"n":', seq, ',"filler":"', ?, '"}'),
          CONCAT('{"message-id":"', u, '","message-type":"update"}')
        FROM (SELECT seq, UUID() AS u FROM seq_{from}_to_{to}) s ORDER BY seq`;
    case 'sqlite':
      return `WITH RECURSIVE g(n) AS (SELECT ? UNION ALL SELECT n + 1 FROM g WHERE n < ?)
        INSERT INTO ${DEFAULT_OUTBOX_TABLE} (${columns})
        SELECT u, ?, 'key-' || (n % ?), 'update', '{"n":' || n || ',"filler":"' || ? || '"}',
          '{"message-id":"' || u || '","message-type":"update"}'
        FROM (SELECT n, lower(hex(randomblob(16))) AS u FROM g) ORDER BY n`;
  }
}

async function fillChunk(knex: Knex, shape: BacklogShape, from: number, to: number): Promise<void> {
  const dialect = dialectOf(knex);
  const text = filler(shape.payloadBytes);
  const sql = fillSql(dialect);

  if (dialect === 'postgres') await knex.raw(sql, [shape.topic, shape.keys, text, from, to]);
  if (dialect === 'mysql') await knex.raw(sql.replace('{from}', String(from)).replace('{to}', String(to)), [shape.topic, shape.keys, text]);
  if (dialect === 'sqlite') await knex.raw(sql, [from, to, shape.topic, shape.keys, text]);
}

/**
 * Creates the outbox if needed and inserts the backlog with INSERT ... SELECT, rows
 * numbered from 0, so that row n has key `key-(n mod keys)` and payload `payloadOf(n)`.
 */
export async function fillOutbox(knex: Knex, shape: BacklogShape): Promise<void> {
  await migrateOutbox(knex);
  for (let from = 0; from < shape.rows; from += FILL_CHUNK) {
    await fillChunk(knex, shape, from, Math.min(shape.rows, from + FILL_CHUNK) - 1);
  }
  if (dialectOf(knex) === 'postgres') await knex.raw(`VACUUM ANALYZE ${DEFAULT_OUTBOX_TABLE}`);
  if (dialectOf(knex) === 'mysql') await knex.raw(`ANALYZE TABLE ${DEFAULT_OUTBOX_TABLE}`);
}

/** Rows left in the outbox. */
export async function outboxCount(knex: Knex): Promise<number> {
  const [row] = await knex(DEFAULT_OUTBOX_TABLE).count({ n: '*' });
  return Number(row?.n ?? 0);
}

/**
 * The backlog's messages as the relay would send them (key, payload bytes and the
 * same three headers), built in memory for the client baseline.
 */
export function backlogMessages(shape: BacklogShape): Message[] {
  const messages: Message[] = [];
  for (let index = 0; index < shape.rows; index++) {
    const messageId = randomUUID();
    messages.push({
      key: keyOf(index, shape.keys),
      value: Buffer.from(payloadOf(index, shape.payloadBytes), 'utf8'),
      headers: { 'message-id': messageId, 'message-type': 'update', 'outbox-id': String(index + 1) },
    });
  }
  return messages;
}
