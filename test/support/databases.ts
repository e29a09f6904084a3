import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';

export type TestDialect = 'postgres' | 'mysql' | 'sqlite';

export const ALL_DIALECTS: readonly TestDialect[] = ['postgres', 'mysql', 'sqlite'];

/** Server URLs; override with TEST_POSTGRES_URL / TEST_MYSQL_URL. */
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const MYSQL_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/mysql';

/** A fresh, empty database of its own for one test file, and how to drop it. */
export interface TestDatabase {
  readonly dialect: TestDialect;
  readonly knex: Knex;
  /** Connection settings of this database, to hand to a relay or a child process. */
  readonly config: Knex.Config;
  /** URL of this database: a postgres:// or mysql:// URL, or the SQLite file path. */
  readonly url: string;
  destroy(): Promise<void>;
}

function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function createServerDatabase(dialect: 'postgres' | 'mysql', prefix: string): Promise<TestDatabase> {
  const adminUrl = dialect === 'postgres' ? POSTGRES_URL : MYSQL_URL;
  const client = dialect === 'postgres' ? 'pg' : 'mysql2';
  const name = uniqueName(prefix);

  const admin = knexFactory({ client, connection: adminUrl, pool: { min: 0, max: 1 } });
  await admin.raw(dialect === 'postgres' ? 'CREATE DATABASE ??' : 'CREATE DATABASE ?? CHARACTER SET utf8mb4', [name]);
  await admin.destroy();

  const url = withDatabase(adminUrl, name);
  const config: Knex.Config = { client, connection: url, pool: { min: 0, max: 10 } };
  const knex = knexFactory(config);

  return {
    dialect,
    knex,
    config,
    url,
    async destroy() {
      await knex.destroy();
      const dropper = knexFactory({ client, connection: adminUrl, pool: { min: 0, max: 1 } });
      const force = dialect === 'postgres' ? ' WITH (FORCE)' : '';
      await dropper.raw(`DROP DATABASE IF EXISTS ??${force}`, [name]);
      await dropper.destroy();
    },
  };
}

function createSqliteDatabase(prefix: string): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const file = join(dir, 'test.db');
  const config: Knex.Config = { client: 'better-sqlite3', connection: { filename: file }, useNullAsDefault: true };
  const knex = knexFactory(config);

  return {
    dialect: 'sqlite',
    knex,
    config,
    url: file,
    async destroy() {
      await knex.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Creates an empty database for one test file: a new database on the PostgreSQL or
 * MariaDB server, or a new SQLite file. `prefix` makes leftovers easy to spot.
 */
export async function createTestDatabase(dialect: TestDialect, prefix = 'ks_test'): Promise<TestDatabase> {
  if (dialect === 'sqlite') return createSqliteDatabase(prefix);
  return createServerDatabase(dialect, prefix);
}
