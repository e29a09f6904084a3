import type { Knex } from 'knex';
import { ConfigurationError } from '../errors/kafka-streamer-error.js';

export type Dialect = 'postgres' | 'mysql' | 'sqlite';

/** Maps a Knex instance or transaction to the SQL dialect the outbox supports. */
export function dialectOf(knex: Knex | Knex.Transaction): Dialect {
  const client = String((knex.client as { config?: { client?: unknown } }).config?.client ?? '');
  const name = client || (knex.client as { dialect?: string }).dialect || '';
  if (/^(pg|postgres|postgresql|pgnative|cockroachdb)$/.test(name)) return 'postgres';
  if (/^(mysql|mysql2|mariadb)$/.test(name)) return 'mysql';
  if (/^(sqlite3|better-sqlite3)$/.test(name)) return 'sqlite';
  throw new ConfigurationError(
    `unsupported Knex client ${JSON.stringify(name)}: use pg, mysql2 or better-sqlite3`,
  );
}

/**
 * SQL for the current time on the database clock, in the outbox's timestamp
 * type. Every lease and retry time uses it, so relays never trust their own clocks.
 * On PostgreSQL, clock_timestamp() is used instead of now(), which would freeze at
 * transaction start.
 */
export function sqlNow(dialect: Dialect): string {
  switch (dialect) {
    case 'postgres':
      return 'clock_timestamp()';
    case 'mysql':
      return 'UTC_TIMESTAMP(6)';
    case 'sqlite':
      return "strftime('%Y-%m-%d %H:%M:%f', 'now')";
  }
}

/** SQL for the database clock plus a whole number of milliseconds (bound as `?`). */
export function sqlNowPlusMs(dialect: Dialect): string {
  switch (dialect) {
    case 'postgres':
      return "clock_timestamp() + (? * interval '1 millisecond')";
    case 'mysql':
      return 'UTC_TIMESTAMP(6) + INTERVAL (? * 1000) MICROSECOND';
    case 'sqlite':
      return "strftime('%Y-%m-%d %H:%M:%f', 'now', (? / 1000.0) || ' seconds')";
  }
}
