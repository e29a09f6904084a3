/**
 * Column names of the outbox table. The relay and core share them, so a
 * rename here is a schema change and needs a migration.
 */
export const OUTBOX_COLUMNS = {
  /** Auto-increment id: the relay publishes in id order within a key. */
  id: 'id',
  /** Unique message id (UUID v4), also sent as the `message-id` header. */
  messageId: 'message_id',
  topic: 'topic',
  /** Kafka key as text, or null for no key. At most 512 characters. */
  key: 'message_key',
  /** Explicit Kafka partition, or null to let the producer's partitioner choose. */
  partition: 'kafka_partition',
  /** create, update, delete, refresh, enumerate or eos. */
  type: 'message_type',
  /** The exact message bytes as UTF-8 text. Never JSON/JSONB, which reorder keys. */
  payload: 'payload',
  /** JSON object of header name to string value. */
  headers: 'headers',
  /** Insert time from the database clock. */
  createdAt: 'created_at',
  /** Failed publish attempts so far. */
  attempts: 'attempts',
  /** Earliest time (database clock) of the next attempt; moves forward on each retry. */
  availableAt: 'available_at',
  /** Random id of the claim that holds the row, or null when unclaimed. */
  claimId: 'claim_id',
  /** Name of the relay that holds the claim, for `status` output. */
  claimedBy: 'claimed_by',
  /** End of the claim's lease (database clock); past it, another relay may take the row over. */
  claimedUntil: 'claimed_until',
  /** Last publish error, for `status` and parked rows. */
  lastError: 'last_error',
  /** Set when the row was parked: it is kept but never retried until requeued. */
  parkedAt: 'parked_at',
} as const;

export const MAX_KEY_LENGTH = 512;

/** Header names that core writes on every message. */
export const HEADER_MESSAGE_ID = 'message-id';
export const HEADER_MESSAGE_TYPE = 'message-type';
