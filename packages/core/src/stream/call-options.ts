import { currentContext } from '../context/context.js';
import { ConfigurationError } from '../errors/kafka-streamer-error.js';
import type { ModelClass } from '../model/model.js';
import { HEADER_MESSAGE_ID, HEADER_MESSAGE_TYPE } from '../outbox/columns.js';
import { type OutboxTable, type OutboxTableOptions, resolveOutboxTable } from '../outbox/table.js';
import { formatTime } from '../streamer/serialization.js';
import type { MessageType } from '../streamer/streamer.js';
import type { CallSettings } from './envelope.js';

/** Message types of streamed objects; enumerate and eos are written by fullRefresh only. */
export type ObjectMessageType = Exclude<MessageType, 'enumerate' | 'eos'>;

/** Options of one streaming call. */
export interface StreamOptions {
  /** Message type. Default `update` (a full current state, which consumers upsert). */
  type?: ObjectMessageType;
  /** The model of plain Knex rows; without it each object's class is its model. */
  model?: ModelClass;
  /** Outbox table and PostgreSQL schema. Default `kafka_streamer_outbox` on the search path. */
  outbox?: OutboxTableOptions;
  /** Kafka headers added to each message, after `message-id` and `message-type`. */
  headers?: Readonly<Record<string, string>>;
  /** Write compact JSON; overrides the streamer's `compact`. */
  compact?: boolean;
  /** Read the rows back by id before streaming; overrides the streamer's `reload`. */
  reload?: boolean;
}

const TYPES: ReadonlySet<string> = new Set(['create', 'update', 'delete', 'refresh', 'enumerate', 'eos']);
const OBJECT_TYPES: ReadonlySet<string> = new Set(['create', 'update', 'delete', 'refresh']);

/** Validates the options shared by every streaming call and fixes `_time` for the call. */
export function resolveCall(options: StreamOptions, type: MessageType): { settings: CallSettings; outbox: OutboxTable } {
  if (!OBJECT_TYPES.has(type)) {
    const hint = TYPES.has(type) ? 'enumerate and eos messages are written by fullRefresh' : 'use create, update, delete or refresh';
    throw new ConfigurationError(`invalid message type ${JSON.stringify(type)}: ${hint}`);
  }

  const headers = options.headers ?? {};
  for (const [name, value] of Object.entries(headers)) {
    if (name === HEADER_MESSAGE_ID || name === HEADER_MESSAGE_TYPE) {
      throw new ConfigurationError(`header ${JSON.stringify(name)} is set by kafka-streamer: choose another header name`);
    }
    if (typeof value !== 'string') {
      throw new ConfigurationError(`header ${JSON.stringify(name)} has a ${typeof value} value: header values must be strings`);
    }
  }

  const settings: CallSettings = {
    type,
    time: formatTime(new Date()),
    context: currentContext(),
    headers,
    compact: options.compact,
  };
  return { settings, outbox: resolveOutboxTable(options.outbox) };
}
