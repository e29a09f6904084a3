import { OUTBOX_COLUMNS as C, type Dialect, dialectOf, type OutboxTable, qualifiedName, sqlNow } from '@kafka-streamer/core';
import type { Knex } from 'knex';

/** Row counts of the outbox. Published rows are deleted, so every row counted here is unpublished. */
export interface OutboxCounts {
  /** Rows not parked: waiting, claimed or waiting for a retry. */
  readonly pending: number;
  /** Pending rows whose claim lease has not ended on the database clock. */
  readonly claimed: number;
  /** Pending rows that failed at least once. */
  readonly retrying: number;
  readonly parked: number;
  /** Age of the oldest pending row in seconds on the database clock, or null when none is pending. */
  readonly oldestPendingAgeSeconds: number | null;
}

/** A parked row, as `status` lists it. */
export interface ParkedRow {
  /** Outbox id as decimal text, exact past 2^53. */
  readonly id: string;
  readonly topic: string;
  readonly key: string | null;
  readonly attempts: number;
  readonly lastError: string | null;
  /** ISO 8601 time in UTC. */
  readonly parkedAt: string;
}

// Seconds between a timestamp column expression and the database clock.
function secondsSince(dialect: Dialect, timestamp: string): string {
  switch (dialect) {
    case 'postgres':
      return `EXTRACT(EPOCH FROM (${sqlNow(dialect)} - ${timestamp}))`;
    case 'mysql':
      return `TIMESTAMPDIFF(MICROSECOND, ${timestamp}, ${sqlNow(dialect)}) / 1000000`;
    case 'sqlite':
      return `(julianday('now') - julianday(${timestamp})) * 86400.0`;
  }
}

// A timestamp column as ISO 8601 text in UTC; MySQL DATETIME columns hold UTC by the outbox's convention.
function isoText(dialect: Dialect, column: string): string {
  switch (dialect) {
    case 'postgres':
      return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
    case 'mysql':
      return `DATE_FORMAT(${column}, '%Y-%m-%dT%H:%i:%s.%fZ')`;
    case 'sqlite':
      return `strftime('%Y-%m-%dT%H:%M:%fZ', ${column})`;
  }
}

function idText(dialect: Dialect): string {
  return dialect === 'mysql' ? `CAST(${C.id} AS CHAR)` : `CAST(${C.id} AS TEXT)`;
}

/** Rows of a `knex.raw` result, whose shape differs per driver. */
function rowsOf<T>(dialect: Dialect, result: unknown): T[] {
  if (dialect === 'postgres') return (result as { rows: T[] }).rows;
  if (dialect === 'mysql') return (result as [T[], unknown])[0];
  return result as T[];
}

function toNumber(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/** Counts pending, claimed, retrying and parked rows in one scan of the outbox table. */
export async function queryOutboxCounts(knex: Knex, outbox: OutboxTable): Promise<OutboxCounts> {
  const dialect = dialectOf(knex);
  const pending = `${C.parkedAt} IS NULL`;
  const sql = `SELECT
      SUM(CASE WHEN ${pending} THEN 1 ELSE 0 END) AS pending,
      SUM(CASE WHEN ${pending} AND ${C.claimId} IS NOT NULL AND ${C.claimedUntil} > ${sqlNow(dialect)} THEN 1 ELSE 0 END) AS claimed,
      SUM(CASE WHEN ${pending} AND ${C.attempts} > 0 THEN 1 ELSE 0 END) AS retrying,
      SUM(CASE WHEN ${C.parkedAt} IS NOT NULL THEN 1 ELSE 0 END) AS parked,
      ${secondsSince(dialect, `MIN(CASE WHEN ${pending} THEN ${C.createdAt} END)`)} AS oldest_age
    FROM ??`;

  const result = await knex.raw(sql, [qualifiedName(outbox)]);
  const row = rowsOf<Record<string, unknown>>(dialect, result)[0] ?? {};
  const oldest = row.oldest_age;

  return {
    pending: toNumber(row.pending),
    claimed: toNumber(row.claimed),
    retrying: toNumber(row.retrying),
    parked: toNumber(row.parked),
    // Clocks of a client and a server in different processes can differ by a little, never below zero.
    oldestPendingAgeSeconds: oldest === null || oldest === undefined ? null : Math.max(0, Number(oldest)),
  };
}

/** Lists up to `limit` parked rows in id order. */
export async function queryParkedRows(knex: Knex, outbox: OutboxTable, limit: number): Promise<ParkedRow[]> {
  const dialect = dialectOf(knex);
  const sql = `SELECT ${idText(dialect)} AS id, ${C.topic} AS topic, ${C.key} AS message_key,
      ${C.attempts} AS attempts, ${C.lastError} AS last_error, ${isoText(dialect, C.parkedAt)} AS parked_at
    FROM ?? WHERE ${C.parkedAt} IS NOT NULL ORDER BY ${C.id} LIMIT ?`;

  const result = await knex.raw(sql, [qualifiedName(outbox), limit]);
  return rowsOf<Record<string, unknown>>(dialect, result).map((row) => ({
    id: String(row.id),
    topic: String(row.topic),
    key: row.message_key === null ? null : String(row.message_key),
    attempts: Number(row.attempts),
    lastError: row.last_error === null ? null : String(row.last_error),
    parkedAt: String(row.parked_at),
  }));
}
