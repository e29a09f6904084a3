import knexFactory, { type Knex } from 'knex';
import type { Logger } from 'pino';
import type { ResolvedRelayOptions } from './options.js';

/**
 * How long a SQLite statement waits for another process's write lock before it
 * fails with SQLITE_BUSY. Several relays on one SQLite file take turns: each claim
 * is a single UPDATE statement, so a second relay waits here instead of failing.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

interface MysqlConnection {
  query(sql: string, callback: (error: Error | null) => void): unknown;
}

/**
 * Knex pool hook that opens each MySQL/MariaDB session at READ COMMITTED. At the
 * default REPEATABLE READ, InnoDB locks the gaps around the index records that the
 * relay's claims, renewals and deletes scan, and those gap locks deadlock with
 * application transactions inserting outbox rows.
 */
export function setReadCommitted(connection: MysqlConnection, done: (error: Error | null, connection: unknown) => void): void {
  connection.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED', (error) => done(error, connection));
}

/** Routes Knex's own log calls to a child of `logger`. */
export function knexLog(logger: Logger): Knex.Config['log'] {
  const child = logger.child({ component: 'knex' });
  return {
    warn: (message: unknown) => child.warn({ detail: message }, 'knex warning'),
    error: (message: unknown) => child.error({ detail: message }, 'knex error'),
    deprecate: (method: string, alternative: string) => child.warn({ method, alternative }, 'knex deprecation'),
    debug: (message: unknown) => child.debug({ detail: message }, 'knex debug'),
  };
}

/** Returns the Knex instance of the options, and whether the relay owns (and destroys) it. */
export function openDatabase(options: ResolvedRelayOptions, logger: Logger): { knex: Knex; owned: boolean } {
  if (options.knex !== undefined) return { knex: options.knex, owned: false };
  const database = options.database as NonNullable<ResolvedRelayOptions['database']>;

  if (database.client === 'better-sqlite3') {
    const connection = typeof database.connection === 'string' ? { filename: database.connection } : database.connection;
    return {
      knex: knexFactory({
        client: 'better-sqlite3',
        connection,
        useNullAsDefault: true,
        log: knexLog(logger),
        pool: {
          min: 1,
          max: 1,
          afterCreate: (raw: { pragma(sql: string): unknown }, done: (error: Error | null, raw: unknown) => void) => {
            raw.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
            done(null, raw);
          },
        },
      }),
      owned: true,
    };
  }

  const pool: Knex.PoolConfig = { min: database.pool?.min ?? 0, max: database.pool?.max ?? 4 };
  if (database.client === 'mysql2') pool.afterCreate = setReadCommitted;
  return {
    knex: knexFactory({ client: database.client, connection: database.connection, log: knexLog(logger), pool }),
    owned: true,
  };
}

/**
 * Sets busy_timeout on a SQLite connection that the caller passed in. better-sqlite3
 * already defaults to a 5 s timeout; this makes the value explicit.
 */
export async function prepareSqlite(knex: Knex): Promise<void> {
  await knex.raw(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
}
