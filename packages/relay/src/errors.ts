import { KafkaStreamerError } from '@kafka-streamer/core';

/** Context of a failed publish: which outbox rows, topic and attempt it concerns. */
export interface PublishErrorContext {
  /** Outbox ids of the rows in the failed produce request, in id order. */
  readonly ids: readonly string[];
  /** Topics of those rows. */
  readonly topics: readonly string[];
  /** Attempt number of the first row (1 for a first try). */
  readonly attempt: number;
  /** Whether sending the same request again may succeed. */
  readonly retriable: boolean;
  /** Kafka error type such as `MESSAGE_TOO_LARGE`, when the broker named one. */
  readonly kafkaType?: string | undefined;
  readonly cause?: unknown;
}

/** A produce request that Kafka did not acknowledge. */
export class PublishError extends KafkaStreamerError {
  readonly ids: readonly string[];
  readonly topics: readonly string[];
  readonly attempt: number;
  readonly retriable: boolean;
  readonly kafkaType: string | undefined;

  constructor(message: string, context: PublishErrorContext, code = 'ERR_KS_PUBLISH_FAILED') {
    super(code, message, { cause: context.cause });
    this.ids = context.ids;
    this.topics = context.topics;
    this.attempt = context.attempt;
    this.retriable = context.retriable;
    this.kafkaType = context.kafkaType;
  }
}

/**
 * A single message over the broker's size limit (`message.max.bytes`, about 1 MiB
 * by default). Never retriable: the row is parked until someone requeues it.
 */
export class MessageTooLargeError extends PublishError {
  readonly id: string;
  readonly sizeBytes: number;

  constructor(id: string, topic: string, sizeBytes: number, attempt: number, cause?: unknown) {
    super(
      `MESSAGE_TOO_LARGE: outbox id ${id} on topic ${topic} is about ${sizeBytes} bytes as a Kafka record, over the broker's ` +
        'message size limit; raise message.max.bytes on the broker or topic, or publish a smaller payload',
      { ids: [id], topics: [topic], attempt, retriable: false, kafkaType: 'MESSAGE_TOO_LARGE', cause },
      'ERR_KS_MESSAGE_TOO_LARGE',
    );
    this.id = id;
    this.sizeBytes = sizeBytes;
  }
}

/** A row whose stored headers are not a JSON object of strings; parked, never sent. */
export class InvalidOutboxRowError extends KafkaStreamerError {
  readonly id: string;

  constructor(id: string, reason: string) {
    super('ERR_KS_INVALID_OUTBOX_ROW', `outbox id ${id} cannot be published: ${reason}; fix the row and requeue it`);
    this.id = id;
  }
}

/** A statement on the outbox table failed; the relay backs off and tries again. */
export class OutboxDatabaseError extends KafkaStreamerError {
  readonly operation: string;
  readonly ids: readonly string[];

  constructor(operation: string, ids: readonly string[], cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    const which = ids.length > 0 ? ` (outbox ids ${summarizeIds(ids)})` : '';
    super('ERR_KS_OUTBOX_DATABASE', `outbox ${operation} failed${which}: ${detail}`, { cause });
    this.operation = operation;
    this.ids = ids;
  }
}

/** The relay was stopped; `start()` cannot run it again. */
export class RelayStoppedError extends KafkaStreamerError {
  constructor(action: string) {
    super('ERR_KS_RELAY_STOPPED', `cannot ${action}: the relay was stopped; create a new relay with createRelay()`);
  }
}

/** Lists ids for a message, shortened past 10 so log lines stay readable. */
export function summarizeIds(ids: readonly string[]): string {
  if (ids.length <= 10) return ids.join(', ');
  return `${ids.slice(0, 10).join(', ')} and ${ids.length - 10} more`;
}
