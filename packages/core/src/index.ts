export { ConfigurationError, KafkaStreamerError } from './errors/kafka-streamer-error.js';
export { HEADER_MESSAGE_ID, HEADER_MESSAGE_TYPE, MAX_KEY_LENGTH, OUTBOX_COLUMNS } from './outbox/columns.js';
export { type Dialect, dialectOf, sqlNow, sqlNowPlusMs } from './outbox/dialect.js';
export {
  createOutboxMigrationSource,
  migrateOutbox,
  OUTBOX_MIGRATIONS,
  type OutboxMigration,
} from './outbox/migrations.js';
export {
  DEFAULT_OUTBOX_TABLE,
  type OutboxTable,
  type OutboxTableOptions,
  qualifiedName,
  resolveOutboxTable,
  validateIdentifier,
} from './outbox/table.js';
