import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';

export type ShopDialect = 'sqlite' | 'postgres' | 'mysql';

/** The demo's own database for one run, and how to remove it. */
export interface DemoDatabase {
  readonly dialect: ShopDialect;
  /** Database name on the server, or the SQLite file path. */
  readonly name: string;
  /** Connection settings of the application's pool. */
  readonly config: Knex.Config;
  /** URL of the database on the server; undefined for SQLite. */
  readonly url: string | undefined;
  readonly knex: Knex;
  /** Closes the pool and drops the database (or deletes the SQLite file) unless `keep`. */
  dispose(keep: boolean): Promise<void>;
}

/** Thrown for a `--db` value that is neither a postgres:// nor a mysql:// URL. */
export class InvalidDatabaseUrlError extends Error {
  constructor(url: string) {
    super(`invalid --db ${JSON.stringify(url)}: expected postgres://user@host:port/db or mysql://user@host:port/db`);
  }
}

function dialectOfUrl(url: string): ShopDialect {
  const protocol = new URL(url).protocol;
  if (protocol === 'postgres:' || protocol === 'postgresql:') return 'postgres';
  if (protocol === 'mysql:' || protocol === 'mariadb:') return 'mysql';
  throw new InvalidDatabaseUrlError(url);
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.protocol = parsed.protocol === 'mariadb:' ? 'mysql:' : parsed.protocol;
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function createSqlite(runId: string, poolMax: number): DemoDatabase {
  const dir = mkdtempSync(join(tmpdir(), `ks-demo-${runId}-`));
  const file = join(dir, 'shop.db');
  const config: Knex.Config = {
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: poolMax,
      // WAL lets the relay read while the application writes; the busy timeout
      // makes a second writer wait for the lock instead of failing at once.
      afterCreate: (conn: { pragma(sql: string): unknown }, done: (err: Error | null, conn: unknown) => void) => {
        conn.pragma('journal_mode = WAL');
        conn.pragma('busy_timeout = 10000');
        // In WAL mode NORMAL survives an application crash; only a power loss can
        // drop the last commits.
        conn.pragma('synchronous = NORMAL');
        conn.pragma('foreign_keys = ON');
        done(null, conn);
      },
    },
  };
  const knex = knexFactory(config);

  return {
    dialect: 'sqlite',
    name: file,
    config,
    url: undefined,
    knex,
    async dispose(keep) {
      await knex.destroy();
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function createOnServer(url: string, runId: string, poolMax: number): Promise<DemoDatabase> {
  const dialect = dialectOfUrl(url);
  const client = dialect === 'postgres' ? 'pg' : 'mysql2';
  const name = `ks_demo_${runId}`;
  const adminUrl = withDatabase(url, new URL(url).pathname.slice(1) || (dialect === 'postgres' ? 'postgres' : 'mysql'));

  const admin = knexFactory({ client, connection: adminUrl, pool: { min: 0, max: 1 } });
  try {
    await admin.raw(dialect === 'postgres' ? 'CREATE DATABASE ??' : 'CREATE DATABASE ?? CHARACTER SET utf8mb4', [name]);
  } finally {
    await admin.destroy();
  }

  // MySQL DATETIME has no zone: the demo stores and reads UTC.
  const connection = dialect === 'mysql' ? { uri: withDatabase(url, name), timezone: 'Z' } : withDatabase(url, name);
  const config: Knex.Config = { client, connection, pool: { min: 0, max: poolMax } };
  const knex = knexFactory(config);

  return {
    dialect,
    name,
    config,
    url: withDatabase(url, name),
    knex,
    async dispose(keep) {
      await knex.destroy();
      if (keep) return;
      const dropper = knexFactory({ client, connection: adminUrl, pool: { min: 0, max: 1 } });
      try {
        const force = dialect === 'postgres' ? ' WITH (FORCE)' : '';
        await dropper.raw(`DROP DATABASE IF EXISTS ??${force}`, [name]);
      } finally {
        await dropper.destroy();
      }
    },
  };
}

/**
 * Creates a fresh database for one demo run. Without `url` it is a new SQLite file
 * in a temporary folder. With `url` it is a new database `ks_demo_<runId>` on that
 * server, and the URL's own database is used only to create it.
 */
export async function createDemoDatabase(url: string | undefined, runId: string, poolMax: number): Promise<DemoDatabase> {
  if (url === undefined) return createSqlite(runId, 1);
  return createOnServer(url, runId, poolMax);
}
