import { randomUUID } from 'node:crypto';
import { dialectOf, OUTBOX_COLUMNS as C, sqlNow } from '@kafka-streamer/core';
import type { Knex } from 'knex';

export const TABLE = 'kafka_streamer_outbox';

/** Inserts one pending outbox row directly and returns its id as text. */
export async function insertPending(knex: Knex, topic: string, key: string | null, payload: string): Promise<string> {
  const values = {
    [C.messageId]: randomUUID(),
    [C.topic]: topic,
    [C.key]: key,
    [C.type]: 'create',
    [C.payload]: payload,
    [C.headers]: '{}',
  };
  // MySQL has no RETURNING (Knex warns on it) and returns the insert id instead.
  const insert = knex(TABLE).insert(values);
  const [row] = dialectOf(knex) === 'mysql' ? await insert : await insert.returning(C.id);
  return idOf(row);
}

/** Inserts one parked row, as the relay leaves a row after its last failed attempt. */
export async function insertParked(knex: Knex, topic: string, key: string | null, lastError: string): Promise<string> {
  const id = await insertPending(knex, topic, key, '{"parked":true}');
  await knex(TABLE)
    .where(C.id, id)
    .update({ [C.parkedAt]: knex.raw(sqlNow(dialectOf(knex))), [C.attempts]: 10, [C.lastError]: lastError });
  return id;
}

function idOf(row: unknown): string {
  if (row !== null && typeof row === 'object') return String((row as Record<string, unknown>)[C.id]);
  return String(row);
}
