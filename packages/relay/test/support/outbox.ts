import { randomUUID } from 'node:crypto';
import { dialectOf, migrateOutbox } from '@kafka-streamer/core';
import type { Knex } from 'knex';
import { createTestDatabase, type TestDatabase, type TestDialect } from '../../../../test/support/databases.js';

export const OUTBOX = 'kafka_streamer_outbox';

/** A row to insert into the outbox; unset fields get test defaults. */
export interface TestRow {
  readonly topic: string;
  readonly key?: string | null;
  readonly payload?: string;
  readonly headers?: Record<string, string>;
  readonly partition?: number | null;
}

/** Creates a fresh database with the outbox table migrated. */
export async function createOutboxDatabase(dialect: TestDialect, prefix: string): Promise<TestDatabase> {
  const db = await createTestDatabase(dialect, prefix);
  await migrateOutbox(db.knex);
  return db;
}

export function rowValues(row: TestRow): Record<string, unknown> {
  return {
    message_id: randomUUID(),
    topic: row.topic,
    message_key: row.key === undefined ? null : row.key,
    kafka_partition: row.partition ?? null,
    message_type: 'update',
    payload: row.payload ?? JSON.stringify({ n: Math.random() }),
    headers: JSON.stringify(row.headers ?? { 'message-type': 'update' }),
  };
}

/** Inserts rows in order, in chunks, and returns their ids as text. */
export async function insertRows(knex: Knex | Knex.Transaction, rows: readonly TestRow[]): Promise<string[]> {
  const ids: string[] = [];
  for (const row of rows) {
    const insert = knex(OUTBOX).insert(rowValues(row));
    // MySQL has no RETURNING; Knex then returns the insert id itself.
    const [inserted] = dialectOf(knex) === 'mysql' ? await insert : await insert.returning('id');
    ids.push(String(typeof inserted === 'object' ? (inserted as { id: unknown }).id : inserted));
  }
  return ids;
}

/** Inserts many rows quickly (no ids returned). */
export async function insertMany(knex: Knex, rows: readonly TestRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += 200) {
    await knex(OUTBOX).insert(rows.slice(start, start + 200).map(rowValues));
  }
}

export async function outboxCount(knex: Knex): Promise<number> {
  const [row] = await knex(OUTBOX).count<{ n: number | string }[]>({ n: '*' });
  return Number(row?.n ?? 0);
}

export interface StoredRow {
  id: string;
  attempts: number;
  last_error: string | null;
  parked_at: unknown;
  claim_id: string | null;
  message_key: string | null;
}

export async function outboxRows(knex: Knex): Promise<StoredRow[]> {
  const rows = await knex(OUTBOX)
    .select('id', 'attempts', 'last_error', 'parked_at', 'claim_id', 'message_key')
    .orderBy('id');
  return rows.map((row) => ({ ...row, id: String(row.id), attempts: Number(row.attempts) }));
}

/** Polls `condition` every 50 ms until it returns true; fails after `timeoutMs` with `what`. */
export async function waitFor(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
