import { type Dialect, dialectOf, OUTBOX_COLUMNS, type OutboxTable, qualifiedName } from '@kafka-streamer/core';
import type { Knex } from 'knex';
import type { BlockedKeyPolicy } from '../options.js';

/** Connection, dialect and table that every outbox statement needs. */
export interface SqlContext {
  readonly knex: Knex;
  readonly dialect: Dialect;
  /** `schema.table` or `table`, for Knex's `??` identifier binding and query builder. */
  readonly table: string;
  readonly policy: BlockedKeyPolicy;
}

export function createSqlContext(knex: Knex, outbox: OutboxTable, policy: BlockedKeyPolicy): SqlContext {
  return { knex, dialect: dialectOf(knex), table: qualifiedName(outbox), policy };
}

/** Rows of a `knex.raw` result, whose shape differs per driver. */
export function rawRows<T>(context: SqlContext, result: unknown): T[] {
  if (context.dialect === 'postgres') return (result as { rows: T[] }).rows;
  if (context.dialect === 'mysql') return (result as [T[], unknown])[0];
  return result as T[];
}

/** Column values that put a row back to unclaimed. */
export function unclaimed(): Record<string, null> {
  return {
    [OUTBOX_COLUMNS.claimId]: null,
    [OUTBOX_COLUMNS.claimedBy]: null,
    [OUTBOX_COLUMNS.claimedUntil]: null,
  };
}
