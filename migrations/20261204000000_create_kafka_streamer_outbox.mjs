// Knex migration for the kafka-streamer outbox, for applications that list this
// folder in their own `migrations.directory`. The table name and PostgreSQL schema
// come from KAFKA_STREAMER_OUTBOX_TABLE and KAFKA_STREAMER_OUTBOX_SCHEMA, as in the relay.
import { OUTBOX_MIGRATIONS, resolveOutboxTable } from '@kafka-streamer/core';

const outbox = resolveOutboxTable({
  table: process.env.KAFKA_STREAMER_OUTBOX_TABLE || undefined,
  schema: process.env.KAFKA_STREAMER_OUTBOX_SCHEMA || undefined,
});
const migration = OUTBOX_MIGRATIONS.find((m) => m.name === '20261204000000_create_kafka_streamer_outbox');

export const up = (knex) => migration.up(knex, outbox);
export const down = (knex) => migration.down(knex, outbox);
