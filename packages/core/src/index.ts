export { ConfigurationError, KafkaStreamerError } from './errors/kafka-streamer-error.js';
export { HEADER_MESSAGE_ID, HEADER_MESSAGE_TYPE, MAX_KEY_LENGTH, OUTBOX_COLUMNS } from './outbox/columns.js';
export { type Dialect, dialectOf, sqlNow, sqlNowPlusMs } from './outbox/dialect.js';
export {
  createOutboxMigrationSource,
  migrateOutbox,
  blockingRowPredicate,
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
export {
  currentContext,
  type StreamContext,
  withContext,
  withoutHandleRelated,
} from './context/context.js';
export { squash } from './context/squash.js';
export {
  KeyTooLongError,
  MissingColumnError,
  MissingTopicError,
  InvalidObjectError,
  ModelNotRegisteredError,
  NotATransactionError,
  RowNotFoundError,
  TransactionCompletedError,
} from './errors/streamer-errors.js';
export type { ModelClass, Row } from './model/model.js';
export type { RelationDefinition, RelationKind } from './model/relations.js';
export { insertOutboxMessages } from './outbox/insert.js';
export {
  fullRefresh,
  getRegistry,
  getStreamer,
  register,
  streamCreate,
  streamDelete,
  streamDeleteIds,
  streamInTx,
  streamRefresh,
  streamUpdate,
} from './registry/global.js';
export { createRegistry, type RegisterDecorator, Registry } from './registry/registry.js';
export type { ObjectMessageType, StreamOptions } from './stream/call-options.js';
export type { FullRefreshOptions, RefreshSummary } from './stream/full-refresh.js';
export type { OutboxMessage } from './stream/message.js';
export type { ShortcutOptions } from './stream/shortcuts.js';
export { Batch, type BatchClass } from './streamer/batch.js';
export {
  type ComputedField,
  type KeySerializer,
  type MessageInfo,
  type MessageType,
  objectIdKey,
  type Partitioner,
  Streamer,
  type StreamerClass,
  type StreamerOptions,
} from './streamer/streamer.js';
export type { ColumnKind, TableColumns } from './serialize/column-kind.js';
export { selectColumnExpressions } from './serialize/column-selection.js';
export {
  compactSerializer,
  defaultSerializer,
  type EncodeOptions,
  encodeMessage,
  type MessageSerializer,
} from './serialize/encode.js';
export { TableNotFoundError, UnserializableValueError } from './serialize/errors.js';
export { formatPythonFloat } from './serialize/float-repr.js';
export { JsonFloat } from './serialize/json-float.js';
export { JsonText } from './serialize/json-text.js';
export { normalizeColumnValue } from './serialize/normalize.js';
export { clearColumnCache, loadTableColumns } from './serialize/table-columns.js';
export { formatTime } from './serialize/temporal-format.js';
