export { createRelay, Relay, type StopOptions } from './relay.js';
export type {
  BlockedKeyPolicy,
  RelayDatabaseOptions,
  RelayKafkaOptions,
  RelayOptions,
  RelayRetryOptions,
  ResolvedRelayOptions,
} from './options.js';
export { resolveRelayOptions } from './options.js';
export type {
  BatchSummary,
  ErrorEvent,
  ParkedEvent,
  PublishedEvent,
  RelayEvents,
  RetryEvent,
} from './events.js';
export {
  InvalidOutboxRowError,
  MessageTooLargeError,
  OutboxDatabaseError,
  PublishError,
  RelayStoppedError,
} from './errors.js';
export { FORCED_EXIT_CODE, installSignalHandlers, type SignalHandlerOptions } from './signals.js';
export { HEADER_OUTBOX_ID } from './requests.js';
export type { OutboxRow } from './sql/rows.js';
