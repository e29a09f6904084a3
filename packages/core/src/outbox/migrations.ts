import type { Knex } from 'knex';
import { ConfigurationError } from '../errors/kafka-streamer-error.js';
import { OUTBOX_COLUMNS as C, MAX_KEY_LENGTH } from './columns.js';
import { type Dialect, dialectOf } from './dialect.js';
import { type OutboxTable, type OutboxTableOptions, resolveOutboxTable } from './table.js';

/** One step of the outbox schema, applied through the application's own Knex. */
export interface OutboxMigration {
  readonly name: string;
  up(knex: Knex, outbox: OutboxTable): Promise<void>;
  down(knex: Knex, outbox: OutboxTable): Promise<void>;
}

function timestampDefault(knex: Knex, dialect: Dialect): Knex.Raw {
  switch (dialect) {
    case 'postgres':
      return knex.raw('now()');
    case 'mysql':
      return knex.raw('(UTC_TIMESTAMP(6))');
    case 'sqlite':
      return knex.raw("(strftime('%Y-%m-%d %H:%M:%f', 'now'))");
  }
}

function addTimestamp(table: Knex.CreateTableBuilder, dialect: Dialect, name: string): Knex.ColumnBuilder {
  // PostgreSQL: timestamptz. MySQL/MariaDB: DATETIME(6) holding UTC, because
  // TIMESTAMP ends in 2038. SQLite: text in a format that sorts as time.
  if (dialect === 'postgres') return table.timestamp(name, { useTz: true, precision: 6 });
  if (dialect === 'mysql') return table.datetime(name, { precision: 6 });
  return table.text(name);
}

function schemaBuilder(knex: Knex, outbox: OutboxTable): Knex.SchemaBuilder {
  return outbox.schema === undefined ? knex.schema : knex.schema.withSchema(outbox.schema);
}

const createOutbox: OutboxMigration = {
  name: '20261204000000_create_kafka_streamer_outbox',

  async up(knex, outbox) {
    const dialect = dialectOf(knex);
    if (outbox.schema !== undefined && dialect === 'postgres') {
      await knex.raw('CREATE SCHEMA IF NOT EXISTS ??', [outbox.schema]);
    }

    await schemaBuilder(knex, outbox).createTable(outbox.table, (table) => {
      table.bigIncrements(C.id).primary();
      table.string(C.messageId, 36).notNullable();
      table.string(C.topic, 249).notNullable();
      table.string(C.key, MAX_KEY_LENGTH).nullable();
      table.integer(C.partition).nullable();
      table.string(C.type, 32).notNullable();
      table.text(C.payload, 'longtext').notNullable();
      table.text(C.headers, 'longtext').notNullable();
      addTimestamp(table, dialect, C.createdAt).notNullable().defaultTo(timestampDefault(knex, dialect));
      table.integer(C.attempts).notNullable().defaultTo(0);
      addTimestamp(table, dialect, C.availableAt).notNullable().defaultTo(timestampDefault(knex, dialect));
      table.string(C.claimId, 36).nullable();
      table.string(C.claimedBy, 255).nullable();
      addTimestamp(table, dialect, C.claimedUntil).nullable();
      table.text(C.lastError).nullable();
      addTimestamp(table, dialect, C.parkedAt).nullable();

      // The relay holds back a row while an earlier row of the same key is
      // unpublished, and this index serves that check without a scan.
      table.index([C.key, C.id], `${outbox.table}_key_id_idx`);
      table.index([C.claimId], `${outbox.table}_claim_idx`);
    });
  },

  async down(knex, outbox) {
    await schemaBuilder(knex, outbox).dropTableIfExists(outbox.table);
  },
};

/** Every outbox migration, oldest first. */
// Rows that can hold back later rows of their key: claimed, parked or retried.
// The relay's per-key check looks only at these, so its cost follows their count
// instead of the backlog's. The relay's condition repeats this predicate so that
// the planner can use the partial index.
export function blockingRowPredicate(alias?: string): string {
  const column = (name: string) => (alias === undefined ? name : `${alias}.${name}`);
  return `(${column(C.claimId)} IS NOT NULL OR ${column(C.parkedAt)} IS NOT NULL OR ${column(C.attempts)} > 0)`;
}

const indexBlockingRows: OutboxMigration = {
  name: '20261204000001_index_kafka_streamer_outbox_blocking_rows',

  async up(knex, outbox) {
    // MySQL and MariaDB have no partial indexes; there the check uses the
    // (message_key, id) index of the first migration.
    if (dialectOf(knex) === 'mysql') return;
    const table = outbox.schema === undefined ? '??' : '??.??';
    const names = outbox.schema === undefined ? [outbox.table] : [outbox.schema, outbox.table];
    await knex.raw(`CREATE INDEX ?? ON ${table} (${C.key}, ${C.id}) WHERE ${blockingRowPredicate()}`, [
      `${outbox.table}_blocking_idx`,
      ...names,
    ]);
  },

  async down(knex, outbox) {
    if (dialectOf(knex) === 'mysql') return;
    const name = outbox.schema === undefined ? '??' : '??.??';
    const names = outbox.schema === undefined ? [`${outbox.table}_blocking_idx`] : [outbox.schema, `${outbox.table}_blocking_idx`];
    await knex.raw(`DROP INDEX IF EXISTS ${name}`, names);
  },
};

export const OUTBOX_MIGRATIONS: readonly OutboxMigration[] = [createOutbox, indexBlockingRows];

/**
 * A Knex migration source for the outbox, for `knex.migrate.latest({ migrationSource })`
 * or to merge into an application's own source.
 */
export function createOutboxMigrationSource(options: OutboxTableOptions = {}): Knex.MigrationSource<OutboxMigration> {
  const outbox = resolveOutboxTable(options);
  return {
    getMigrations: async () => [...OUTBOX_MIGRATIONS],
    getMigrationName: (migration) => migration.name,
    getMigration: async (migration) => ({
      up: (knex: Knex) => {
        if (outbox.schema !== undefined && dialectOf(knex) !== 'postgres') {
          throw new ConfigurationError('the outbox schema option applies to PostgreSQL only; remove it');
        }
        return migration.up(knex, outbox);
      },
      down: (knex: Knex) => migration.down(knex, outbox),
    }),
  };
}

/**
 * Runs the outbox migrations with their own migrations table, so that they never
 * mix with the application's. Returns the names of the migrations applied.
 */
export async function migrateOutbox(knex: Knex, options: OutboxTableOptions = {}): Promise<string[]> {
  const outbox = resolveOutboxTable(options);

  // Knex creates its migrations table in `schemaName` before running any
  // migration, so the schema must exist first.
  if (outbox.schema !== undefined) {
    if (dialectOf(knex) !== 'postgres') {
      throw new ConfigurationError('the outbox schema option applies to PostgreSQL only; remove it');
    }
    await knex.raw('CREATE SCHEMA IF NOT EXISTS ??', [outbox.schema]);
  }

  const [, applied] = (await knex.migrate.latest({
    migrationSource: createOutboxMigrationSource(outbox),
    tableName: `${outbox.table}_migrations`,
    schemaName: outbox.schema,
  })) as [number, string[]];
  return applied;
}
