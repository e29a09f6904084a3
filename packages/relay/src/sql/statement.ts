import { OUTBOX_COLUMNS as C } from '@kafka-streamer/core';
import type { Knex } from 'knex';
import type { SqlContext } from './context.js';
import { retryOnLockConflict } from './lock-conflict.js';

/** Knex instance or transaction that a relay statement runs on. */
export type Queryable = Knex | Knex.Transaction;

/**
 * Runs one relay write statement, retried at once on a lock conflict. On MySQL and
 * MariaDB it runs in its own READ COMMITTED transaction: at the default REPEATABLE
 * READ, InnoDB also locks the gaps between index records that the statement scans,
 * and those gap locks deadlock with application transactions inserting outbox rows.
 * The relay's own pools already open their sessions at READ COMMITTED; the
 * transaction makes the level hold on a Knex instance passed in by the caller too.
 */
export function runStatement<T>(context: SqlContext, statement: (db: Queryable) => PromiseLike<T>): Promise<T> {
  if (context.dialect !== 'mysql') return retryOnLockConflict(() => statement(context.knex));

  return retryOnLockConflict(() =>
    context.knex.transaction(async (trx) => statement(trx), { isolationLevel: 'read committed' }),
  );
}

// Ids are decimal strings because they may exceed 2^53: a shorter string is the
// smaller number, and equal lengths compare as text.
function compareDecimalIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Splits ids into sorted chunks, so that every statement locks rows in id order and stays under bind limits. */
export function idChunks(ids: readonly string[], size = 1000): string[][] {
  const sorted = [...ids].sort(compareDecimalIds);
  const chunks: string[][] = [];
  for (let start = 0; start < sorted.length; start += size) chunks.push(sorted.slice(start, start + size));
  return chunks;
}

/**
 * Starts a statement on the rows `ids` (one chunk from idChunks) that finds them
 * by primary key in id order. Without this, the MySQL/MariaDB optimizer scans the
 * whole table once the list covers a large part of it (MariaDB 10.11 already does
 * at 99 of 500 rows). A scanning statement locks every row it passes, including
 * rows that application transactions inserted and have not committed, so it waits
 * for them. FORCE INDEX and ORDER BY keep it on the primary key.
 */
export function rowsById(context: SqlContext, db: Queryable, ids: readonly string[]): Knex.QueryBuilder {
  if (context.dialect !== 'mysql') return db(context.table).whereIn(C.id, [...ids]);
  return db(db.raw('?? FORCE INDEX (PRIMARY)', [context.table]))
    .whereIn(C.id, [...ids])
    .orderBy(C.id)
    .limit(ids.length);
}
