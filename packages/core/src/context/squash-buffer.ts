import type { Knex } from 'knex';
import type { OutboxTable } from '../outbox/table.js';
import type { OutboxMessage } from '../stream/message.js';

/** Destination of buffered messages: the transaction and outbox table of the call that streamed them. */
export interface SquashTarget {
  readonly trx: Knex.Transaction;
  readonly outbox: OutboxTable;
}

interface Group {
  readonly target: SquashTarget;
  readonly messages: (OutboxMessage | undefined)[];
  readonly positions: Map<string, number>;
}

/**
 * Messages held back inside `squash()`, merged per object (table and id) within each
 * transaction and outbox table: create then update gives one create with the last
 * body, create then delete gives nothing, otherwise the last message replaces the
 * earlier one in its position. Messages about no single object are kept as they are.
 */
export class SquashBuffer {
  readonly #groups: Group[] = [];

  add(target: SquashTarget, messages: readonly OutboxMessage[]): void {
    const group = this.#groupOf(target);
    for (const message of messages) merge(group, message);
  }

  /** Moves the messages of a nested squash into this one, merging them. */
  absorb(inner: SquashBuffer): void {
    for (const group of inner.#groups) this.add(group.target, group.messages.filter(isDefined));
  }

  /** Returns the merged messages per target, in the order they were first streamed. */
  drain(): { target: SquashTarget; messages: OutboxMessage[] }[] {
    const groups = this.#groups.splice(0);
    return groups.map((group) => ({ target: group.target, messages: group.messages.filter(isDefined) }));
  }

  #groupOf(target: SquashTarget): Group {
    const existing = this.#groups.find(
      (group) =>
        group.target.trx === target.trx &&
        group.target.outbox.table === target.outbox.table &&
        group.target.outbox.schema === target.outbox.schema,
    );
    if (existing !== undefined) return existing;

    const group: Group = { target, messages: [], positions: new Map() };
    this.#groups.push(group);
    return group;
  }
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

function merge(group: Group, message: OutboxMessage): void {
  const identity = message.mergeKey === undefined ? undefined : `${message.topic}\u0000${message.mergeKey}`;
  const position = identity === undefined ? undefined : group.positions.get(identity);
  const previous = position === undefined ? undefined : group.messages[position];

  if (identity === undefined || position === undefined || previous === undefined) {
    if (identity !== undefined) group.positions.set(identity, group.messages.length);
    group.messages.push(message);
    return;
  }

  if (previous.type === 'create' && message.type === 'delete') {
    group.messages[position] = undefined;
    group.positions.delete(identity);
    return;
  }
  group.messages[position] = previous.type === 'create' && message.type === 'update' ? asCreate(message) : message;
}

// The merged message keeps the update's body and id but is typed create, in its
// body's `_type` too unless a static field had replaced that value.
function asCreate(message: OutboxMessage): OutboxMessage {
  const body = new Map(message.body);
  if (body.get('_type') === message.type) body.set('_type', 'create');
  return { ...message, type: 'create', body, payload: message.serializer(body) };
}
