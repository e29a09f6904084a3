import type { Row } from '../model/model.js';
import type { MessageSerializer } from '../serialize/encode.js';
import { Batch, type BatchClass } from './batch.js';

/** Message types, as in django-kafka-streamer. */
export type MessageType = 'create' | 'update' | 'delete' | 'refresh' | 'enumerate' | 'eos';

/** A computed value for an included name or a column, given the object and its batch. */
export type ComputedField<T extends object = Row> = (obj: T, batch: Batch<T>) => unknown;

/** The message data passed to a key serializer or partitioner. */
export interface MessageInfo<T extends object = Row> {
  readonly topic: string;
  readonly type: MessageType;
  readonly body: ReadonlyMap<string, unknown>;
  /** The streamed object; for a delete by id or an enumerate message, `{ [idField]: id }` or null. */
  readonly object: T | null;
  /** The object's id as read from `idField`, or null. */
  readonly id: unknown;
}

/** Returns the Kafka key of a message, or null for no key. At most 512 characters. */
export type KeySerializer<T extends object = Row> = (message: MessageInfo<T>) => string | null;

/** Returns the Kafka partition of a message, or undefined to let the producer choose. */
export type Partitioner<T extends object = Row> = (message: MessageInfo<T>) => number | undefined;

/**
 * Streamer options, as fields of a Streamer subclass or as the options of
 * `register()`; register options win. The django-kafka-streamer name is given for each.
 */
export interface StreamerOptions<T extends object = Row> {
  /** Kafka topic; required. Python: `topic`. */
  topic?: string;
  /** Columns to leave out; `"rel.field"` leaves a field out of an included relation. Python: `exclude`. */
  exclude?: readonly string[];
  /** Relations and computed names appended after the columns. Python: `include`. */
  include?: readonly string[];
  /** Forward relations loaded in bulk per batch for computed fields. Python: `select_related`. */
  selectRelated?: readonly string[];
  /** Reverse and many-to-many relations loaded in bulk per batch. Python: `prefetch_related`. */
  prefetchRelated?: readonly string[];
  /** Relations whose streamed changes re-stream this model's objects as `update`. Python: `handle_related`. */
  handleRelated?: readonly string[];
  /** Constant keys added to every message (enumerate and delete included, eos not). Python: `static_fields`. */
  staticFields?: Readonly<Record<string, unknown>>;
  /** Computed values by name; `"rel.field"` overrides a field of a related object. Python: `load_<field>` methods. */
  computed?: Readonly<Record<string, ComputedField<T>>>;
  /** Batch subclass whose `preload()` loads data for a whole batch. Python: `batch_class`. */
  batchClass?: BatchClass<T>;
  /** Objects per batch. Default 500. Python: `batch_size`. */
  batchSize?: number;
  /** Primary key column. Default `id`. Python: `id_field`. */
  idField?: string;
  /** Turns a message body into its payload text. Python: `message_serializer`. */
  serializer?: MessageSerializer;
  /** Kafka key of a message. Default: the object's id as a string, null without an id. Python: `partition_key_serializer`. */
  keySerializer?: KeySerializer<T>;
  /** A fixed Kafka partition for every message; `partitioner` wins when both are set. */
  partition?: number;
  /** Kafka partition of a message. Python: `partitioner`. */
  partitioner?: Partitioner<T>;
  /** Name of the id list in enumerate messages. Default `ids`. Python: `enumerate_ids_field`. */
  enumerateIdsField?: string;
  /** Name of the chunk object in enumerate messages. Default `chunk`. Python: `enumerate_chunk_field`. */
  enumerateChunkField?: string;
  /** Ids per enumerate message. Default 5000. Python: `enumerate_chunk_size`. */
  enumerateChunkSize?: number;
  /** Final message type of fullRefresh: `enumerate` (default) or `eos`. Python: `refresh_finalize_type`. */
  refreshFinalizeType?: 'enumerate' | 'eos';
  /** Write JSON without spaces after `,` and `:`. Default false (the Python library's bytes). */
  compact?: boolean;
  /** Read each streamed row back by id (one query per batch) instead of requiring full rows. Default false. */
  reload?: boolean;
}

/** Returns the object's id as a string, or null when it has none. */
export const objectIdKey: KeySerializer<object> = ({ id }) => (id === null || id === undefined ? null : String(id));

/**
 * Describes how one model becomes messages. Subclass it and set options as fields,
 * and add `load<Name>(obj, batch)` methods for computed values (`loadField1PlusOne`
 * serves `field1_plus_one`), or pass options to `register()`.
 */
export class Streamer<T extends object = Row> implements StreamerOptions<T> {
  topic?: string;
  exclude: readonly string[] = [];
  include: readonly string[] = [];
  selectRelated: readonly string[] = [];
  prefetchRelated: readonly string[] = [];
  handleRelated: readonly string[] = [];
  staticFields: Readonly<Record<string, unknown>> = {};
  computed: Readonly<Record<string, ComputedField<T>>> = {};
  batchClass: BatchClass<T> = Batch<T>;
  batchSize = 500;
  idField = 'id';
  serializer?: MessageSerializer;
  keySerializer: KeySerializer<T> = objectIdKey;
  partition?: number;
  partitioner?: Partitioner<T>;
  enumerateIdsField = 'ids';
  enumerateChunkField = 'chunk';
  enumerateChunkSize = 5000;
  refreshFinalizeType: 'enumerate' | 'eos' = 'enumerate';
  compact = false;
  reload = false;

  /** Runs after the batch's relations and `batch.preload()`, before its messages are built. */
  async preload(_batch: Batch<T>): Promise<void> {}
}

/** A Streamer subclass that takes no constructor arguments. */
// biome-ignore lint/suspicious/noExplicitAny: a registry contains streamers of every object type
export type StreamerClass = new () => Streamer<any>;
