import { randomUUID } from 'node:crypto';
import type { Row } from '../model/model.js';
import type { StreamPlan } from '../streamer/plan.js';
import { normalizeColumnValue, type TableColumns } from '../streamer/serialization.js';
import { valueKey } from '../streamer/load-related.js';
import { addId, addStaticFields, type CallSettings, envelope, finishMessage } from './envelope.js';
import type { OutboxMessage } from './message.js';

function normalizedId(plan: StreamPlan<object>, columns: TableColumns, id: unknown, field: string): unknown {
  return normalizeColumnValue(id, columns.kinds.get(plan.idField) ?? 'unknown', field);
}

/** Builds `{"_time", "_type": "delete", "id": 5, <static fields>}` for each id. */
export function buildDeleteIdMessages(
  plan: StreamPlan<object>,
  columns: TableColumns,
  ids: readonly unknown[],
  settings: CallSettings,
): OutboxMessage[] {
  return ids.map((id, index) => {
    const body = envelope(settings, 'delete');
    body.set('id', normalizedId(plan, columns, id, `ids[${index}]`));
    addStaticFields(body, plan.streamer.staticFields);
    addId(body, normalizedId(plan, columns, id, `ids[${index}]`));

    const object: Row = { [plan.idField]: id };
    const key = valueKey(id);
    const mergeKey = key === undefined ? undefined : `${plan.table.qualified}\u0000${key}`;
    return finishMessage(plan.streamer, settings, { topic: plan.streamer.topic as string, type: 'delete', body, object, id }, mergeKey);
  });
}

/**
 * Builds the enumerate messages that end a refresh: the ids in chunks of
 * `enumerateChunkSize`, with `chunk: {index, count, session}` only when there is
 * more than one chunk, and `id` set to the chunk's first id (null when empty).
 * They carry no key by default, because they are about no single object.
 */
export function buildEnumerateMessages(
  plan: StreamPlan<object>,
  columns: TableColumns,
  ids: readonly unknown[],
  settings: CallSettings,
): OutboxMessage[] {
  const { streamer } = plan;
  const size = streamer.enumerateChunkSize;
  const count = Math.max(1, Math.ceil(ids.length / size));
  const session = randomUUID();

  const messages: OutboxMessage[] = [];
  for (let index = 0; index < count; index++) {
    const chunk = ids.slice(index * size, (index + 1) * size).map((id) => normalizedId(plan, columns, id, 'ids'));
    const body = envelope(settings, 'enumerate');
    body.set(streamer.enumerateIdsField, chunk);
    if (count > 1) body.set(streamer.enumerateChunkField, new Map<string, unknown>([['index', index], ['count', count], ['session', session]]));
    addStaticFields(body, streamer.staticFields);
    addId(body, chunk[0] ?? null);
    messages.push(finishMessage(streamer, settings, { topic: streamer.topic as string, type: 'enumerate', body, object: null, id: null }, undefined));
  }
  return messages;
}

/** Builds `{"_time", "_type": "eos", "id": null}`; it carries no static fields and no key by default. */
export function buildEosMessage(plan: StreamPlan<object>, settings: CallSettings): OutboxMessage {
  const body = envelope(settings, 'eos');
  body.set('id', null);
  return finishMessage(plan.streamer, settings, { topic: plan.streamer.topic as string, type: 'eos', body, object: null, id: null }, undefined);
}
