import { EventEmitter } from 'node:events';

/** Outcome of one claimed batch. */
export interface BatchSummary {
  /** Rows claimed, before the per-key order check. */
  readonly rows: number;
  /** Rows acknowledged by Kafka and deleted. */
  readonly published: number;
  /** Rows parked in this batch. */
  readonly parked: number;
  /** Rows scheduled for a later attempt. */
  readonly retried: number;
  /** Rows given back unpublished, with no attempt counted (order check, blocked key, stop). */
  readonly released: number;
  readonly durationMs: number;
}

export interface PublishedEvent {
  readonly ids: readonly string[];
  readonly topic: string;
}

export interface RetryEvent {
  readonly ids: readonly string[];
  /** The attempt that failed (1 = first try). */
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: Error;
}

export interface ParkedEvent {
  readonly id: string;
  readonly error: Error;
}

export interface ErrorEvent {
  readonly error: Error;
  readonly ids?: readonly string[];
  readonly topic?: string;
  readonly attempt?: number;
}

/** Events of a relay and their arguments. */
export interface RelayEvents {
  started: [];
  /** The Kafka producer connected (KafkaJS `producer.events.CONNECT`). */
  connected: [];
  /** The Kafka producer disconnected (KafkaJS `producer.events.DISCONNECT`), as on `stop()`. */
  disconnected: [];
  batch: [BatchSummary];
  published: [PublishedEvent];
  retry: [RetryEvent];
  parked: [ParkedEvent];
  error: [ErrorEvent];
  /** A poll found nothing to publish. */
  idle: [];
  stopping: [];
  stopped: [];
}

type Listener<Args extends unknown[]> = (...args: Args) => void;

/** An EventEmitter whose event names and listener arguments are checked by TypeScript. */
export class TypedEmitter<Events extends { [K in keyof Events]: unknown[] }> extends EventEmitter {
  override on<K extends keyof Events & string>(event: K, listener: Listener<Events[K]>): this {
    return super.on(event, listener as Listener<unknown[]>);
  }

  override once<K extends keyof Events & string>(event: K, listener: Listener<Events[K]>): this {
    return super.once(event, listener as Listener<unknown[]>);
  }

  override off<K extends keyof Events & string>(event: K, listener: Listener<Events[K]>): this {
    return super.off(event, listener as Listener<unknown[]>);
  }

  override emit<K extends keyof Events & string>(event: K, ...args: Events[K]): boolean {
    return super.emit(event, ...args);
  }
}
