import type { MessageSerializer } from '../serialize/encode.js';
import type { MessageType } from '../streamer/streamer.js';

/** One message ready for the outbox: its body and the exact payload text built from it. */
export interface OutboxMessage {
  /** UUID v4, stored in `message_id` and sent as the `message-id` header. */
  readonly messageId: string;
  readonly topic: string;
  readonly key: string | null;
  readonly partition: number | null;
  readonly type: MessageType;
  readonly body: ReadonlyMap<string, unknown>;
  readonly payload: string;
  /** Headers added by the caller, after `message-id` and `message-type`. */
  readonly headers: Readonly<Record<string, string>>;
  readonly serializer: MessageSerializer;
  /** Identity of the streamed object (table and id) for squash; undefined when the message is about no single object. */
  readonly mergeKey: string | undefined;
}
