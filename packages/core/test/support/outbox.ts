import type { Knex } from 'knex';
import { vi } from 'vitest';
import { migrateOutbox } from '../../src/index.js';
import { createTestDatabase, type TestDatabase, type TestDialect } from '../../../../test/support/databases.js';

export { ALL_DIALECTS, type TestDatabase, type TestDialect } from '../../../../test/support/databases.js';

/** Creates a fresh database with the outbox table migrated. */
export async function createOutboxDatabase(dialect: TestDialect, prefix: string): Promise<TestDatabase> {
  const db = await createTestDatabase(dialect, prefix);
  await migrateOutbox(db.knex);
  return db;
}

export interface OutboxRow {
  id: number | string;
  message_id: string;
  topic: string;
  message_key: string | null;
  kafka_partition: number | null;
  message_type: string;
  payload: string;
  headers: string;
}

/** Reads every outbox row in insert order. */
export async function outboxRows(knex: Knex, table = 'kafka_streamer_outbox'): Promise<OutboxRow[]> {
  return knex(table).orderBy('id');
}

/** Reads the payload text of every outbox row, in insert order. */
export async function payloads(knex: Knex, table?: string): Promise<string[]> {
  return (await outboxRows(knex, table)).map((row) => row.payload);
}

/** Empties the outbox between tests. */
export async function clearOutbox(knex: Knex, table = 'kafka_streamer_outbox'): Promise<void> {
  await knex(table).delete();
}

/** Freezes Date (only Date, so that timers keep working) at 2023-01-01T00:00:00Z. */
export function freezeTime(iso = '2023-01-01T00:00:00Z'): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(iso));
}

/** Counts the queries that `fn` runs through `knex` (root and transactions alike). */
export async function countQueries<R>(knex: Knex, fn: () => Promise<R>): Promise<{ result: R; queries: string[] }> {
  const queries: string[] = [];
  const listener = (query: { sql: string }) => queries.push(query.sql);
  knex.on('query', listener);
  try {
    const result = await fn();
    return { result, queries };
  } finally {
    knex.off('query', listener);
  }
}
