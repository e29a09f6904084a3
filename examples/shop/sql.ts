import type { Knex } from 'knex';
import type { ShopDialect } from './database.js';

/** Adds FOR UPDATE on PostgreSQL and MySQL; SQLite has no row locks and runs one writer at a time. */
export function lockRows<Q extends Knex.QueryBuilder>(query: Q, dialect: ShopDialect): Q {
  return dialect === 'sqlite' ? query : (query.forUpdate() as Q);
}

/** Inserts one row and returns its generated id. */
export async function insertReturningId(
  trx: Knex.Transaction,
  dialect: ShopDialect,
  table: string,
  row: Record<string, unknown>,
): Promise<number> {
  if (dialect === 'mysql') {
    const [id] = (await trx(table).insert(row)) as number[];
    return Number(id);
  }
  const [inserted] = (await trx(table).insert(row, ['id'])) as { id: number }[];
  return Number(inserted?.id);
}

/**
 * Returns whether an error is a lock conflict that the database resolved by
 * aborting this transaction, so that running it again is correct. These are a
 * PostgreSQL deadlock or serialization failure, a MySQL deadlock or lock wait
 * timeout, and SQLite busy.
 */
export function isRetryableConflict(error: unknown): boolean {
  const { code, errno } = (error ?? {}) as { code?: unknown; errno?: unknown };
  if (code === '40P01' || code === '40001') return true;
  if (errno === 1213 || errno === 1205) return true;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT';
}
