import { existsSync } from 'node:fs';
import { type OutboxTable, resolveOutboxTable } from '@kafka-streamer/core';
import knexFactory, { type Knex } from 'knex';
import type { CliConfig } from '../config/cli-config.js';
import { setReadCommitted } from '../database.js';
import { knexConfigOf, parseDatabaseUrl } from '../config/database-url.js';
import { KafkaStreamerError } from '@kafka-streamer/core';

// SQLite: wait up to this long for another process's write lock instead of failing with SQLITE_BUSY.
const SQLITE_BUSY_TIMEOUT_MS = 5000;

/** The database could not be reached, or the outbox table is missing. Exit code 1. */
export class DatabaseUnavailableError extends KafkaStreamerError {
  constructor(message: string, cause?: unknown) {
    super('ERR_KS_DATABASE_UNAVAILABLE', message, { cause });
  }
}

/**
 * Opens a Knex pool for the configured database; `poolMax` bounds server connections.
 * `log` receives Knex's own warnings (such as a failed connection attempt), which
 * otherwise go to the console as plain text.
 */
export function openDatabase(config: CliConfig, poolMax: number, log?: Knex.Config['log']): Knex {
  const knexConfig = { ...knexConfigOf(parseDatabaseUrl(config.databaseUrl, config.databaseClient)), ...(log ? { log } : {}) };
  if (knexConfig.client === 'mysql2') {
    return knexFactory({ ...knexConfig, pool: { min: 0, max: poolMax, afterCreate: setReadCommitted } });
  }
  if (knexConfig.client !== 'better-sqlite3') return knexFactory({ ...knexConfig, pool: { min: 0, max: poolMax } });

  return knexFactory({
    ...knexConfig,
    pool: {
      min: 1,
      max: 1,
      afterCreate: (raw: { pragma(sql: string): unknown }, done: (error: Error | null, raw: unknown) => void) => {
        raw.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
        done(null, raw);
      },
    },
  });
}

/**
 * Checks that a SQLite database file exists, for every command but `migrate`.
 * Opening a missing file creates it empty, which left a stray file behind a
 * mistyped path. Other databases pass.
 */
export function checkSqliteFile(config: CliConfig): void {
  const { client, connection } = parseDatabaseUrl(config.databaseUrl, config.databaseClient);
  if (client !== 'better-sqlite3' || typeof connection === 'string') return;

  const { filename } = connection;
  if (filename === ':memory:' || existsSync(filename)) return;
  throw new DatabaseUnavailableError(
    `SQLite database file ${filename} not found: check --database-url, or create the outbox with kafka-streamer-relay migrate`,
  );
}

export function outboxOf(config: CliConfig): OutboxTable {
  return resolveOutboxTable(config.outboxSchema === undefined ? { table: config.outboxTable } : { table: config.outboxTable, schema: config.outboxSchema });
}

/** Checks that the database accepts a query; throws DatabaseUnavailableError with the driver's message. */
export async function checkConnection(knex: Knex): Promise<void> {
  try {
    await knex.raw('SELECT 1');
  } catch (error) {
    // The driver's message and code go into the message, not into `cause`: pino's
    // error serializer appends the causes' messages, which printed the text twice.
    const driver = error as Error & { code?: string };
    const code = driver.code === undefined ? '' : ` (${driver.code})`;
    throw new DatabaseUnavailableError(`cannot connect to the database: ${driver.message}${code}`);
  }
}

/** Checks that the outbox table exists, so a missing migration fails with advice instead of SQL errors. */
export async function checkOutboxTable(knex: Knex, outbox: OutboxTable): Promise<void> {
  const schema = outbox.schema === undefined ? knex.schema : knex.schema.withSchema(outbox.schema);
  const exists = await schema.hasTable(outbox.table);
  if (!exists) {
    const name = outbox.schema === undefined ? outbox.table : `${outbox.schema}.${outbox.table}`;
    throw new DatabaseUnavailableError(
      `outbox table ${name} not found: run \`kafka-streamer-relay migrate\` with the same database and table options`,
    );
  }
}
