import { randomUUID } from 'node:crypto';
import type { ContextState } from '../context/context.js';
import { ConfigurationError } from '../errors/kafka-streamer-error.js';
import { KeyTooLongError } from '../errors/streamer-errors.js';
import { MAX_KEY_LENGTH } from '../outbox/columns.js';
import { compactSerializer, defaultSerializer, type MessageSerializer } from '../serialize/encode.js';
import type { MessageInfo, MessageType, Streamer } from '../streamer/streamer.js';
import type { OutboxMessage } from './message.js';

/** What every message of one streaming call shares. */
export interface CallSettings {
  readonly type: MessageType;
  /** `_time` of every message of the call. */
  readonly time: string;
  readonly context: ContextState;
  readonly headers: Readonly<Record<string, string>>;
  readonly compact: boolean | undefined;
}

/** Starts a body with `_time`, `_type`, `_source`, `_user_id` and `_<extra>`, in that order. */
export function envelope(settings: CallSettings, type: MessageType = settings.type): Map<string, unknown> {
  const body = new Map<string, unknown>([
    ['_time', settings.time],
    ['_type', type],
  ]);

  const { source, userId, extra } = settings.context;
  if (source) body.set('_source', source);
  if (userId) body.set('_user_id', userId);
  for (const [name, value] of Object.entries(extra)) body.set(`_${name}`, value);
  return body;
}

/** Sets each static field: an existing key keeps its position and takes the new value. */
export function addStaticFields(body: Map<string, unknown>, staticFields: Readonly<Record<string, unknown>>): void {
  for (const [name, value] of Object.entries(staticFields)) body.set(name, value);
}

/** Appends `id` when the body has none, or fills it in place when it is null. */
export function addId(body: Map<string, unknown>, id: unknown): void {
  if (!body.has('id') || body.get('id') === null) body.set('id', id);
}

/** The serializer of a streamer for one call: its own, else the default in the requested form. */
export function serializerOf(streamer: Streamer<object>, compact: boolean | undefined): MessageSerializer {
  if (streamer.serializer !== undefined) return streamer.serializer;
  return (compact ?? streamer.compact) ? compactSerializer : defaultSerializer;
}

/** Serializes a body and computes its key and partition with the streamer's functions. */
export function finishMessage(
  streamer: Streamer<object>,
  settings: CallSettings,
  info: MessageInfo<object>,
  mergeKey: string | undefined,
): OutboxMessage {
  const topic = streamer.topic as string;
  const serializer = serializerOf(streamer, settings.compact);

  return {
    messageId: randomUUID(),
    topic,
    key: checkedKey(streamer.keySerializer(info)),
    partition: checkedPartition(streamer.partitioner?.(info) ?? streamer.partition),
    type: info.type,
    body: info.body,
    payload: serializer(info.body),
    headers: settings.headers,
    serializer,
    mergeKey,
  };
}

function checkedKey(key: unknown): string | null {
  if (key === null || key === undefined) return null;
  if (typeof key !== 'string') {
    throw new ConfigurationError(`the key serializer returned ${typeof key} ${String(key)}: return a string or null`);
  }
  if (key.length > MAX_KEY_LENGTH) throw new KeyTooLongError(key, MAX_KEY_LENGTH);
  return key;
}

function checkedPartition(partition: unknown): number | null {
  if (partition === null || partition === undefined) return null;
  if (!Number.isInteger(partition) || (partition as number) < 0 || (partition as number) > 2_147_483_647) {
    throw new ConfigurationError(
      `the partitioner returned ${String(partition)}: return a partition number of 0 or more, or undefined`,
    );
  }
  return partition as number;
}
