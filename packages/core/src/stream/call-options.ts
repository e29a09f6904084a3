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

const STREAM_OPTION_NAMES: ReadonlySet<string> = new Set<keyof StreamOptions>(['type', 'model', 'outbox', 'headers', 'compact', 'reload']);

/**
 * Validates the options shared by every streaming call and fixes `_time` for the call.
 * `extraNames` lists the options of the calling function beyond StreamOptions.
 */
export function resolveCall(
  options: StreamOptions,
  type: MessageType,
  extraNames: readonly string[] = [],
): { settings: CallSettings; outbox: OutboxTable } {
  if (options === null || typeof options !== 'object') {
    throw new ConfigurationError(`invalid stream options ${String(options)}: pass an object, for example { type: 'create' }`);
  }
  const unknown = Object.keys(options).filter((name) => !STREAM_OPTION_NAMES.has(name) && !extraNames.includes(name));
  if (unknown.length > 0) {
    const known = [...STREAM_OPTION_NAMES, ...extraNames].join(', ');
    throw new ConfigurationError(`unknown stream option ${unknown.map((name) => JSON.stringify(name)).join(', ')}: use ${known}`);
  }

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
