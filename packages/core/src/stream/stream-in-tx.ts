import type { Knex } from 'knex';
import { InvalidObjectError, ModelNotRegisteredError } from '../errors/streamer-errors.js';
import type { ModelClass } from '../model/model.js';
import { insertOutboxMessages } from '../outbox/insert.js';
import type { OutboxTable } from '../outbox/table.js';
import type { Registry } from '../registry/registry.js';
import { valueKey } from '../streamer/load-related.js';
import type { StreamPlan } from '../streamer/plan.js';
import type { MessageType } from '../streamer/streamer.js';
import { buildObjectMessages } from './build-object-messages.js';
import { resolveCall, type StreamOptions } from './call-options.js';
import type { CallSettings } from './envelope.js';
import { buildDependentMessages } from './handle-related.js';
import type { OutboxMessage } from './message.js';
import { requireOpenTransaction } from './transaction-guard.js';

const HANDLED_TYPES: ReadonlySet<MessageType> = new Set(['create', 'update', 'delete']);

interface ModelGroup {
  readonly plan: StreamPlan<object>;
  readonly objects: object[];
  readonly positions: number[];
}

/**
 * Serializes objects and inserts their messages into the outbox through `trx`, with
 * one multi-row INSERT. Every check and every serialization runs before the INSERT,
 * so a rejected call writes nothing. Returns the message ids (UUID v4, the
 * `message_id` column and `message-id` header), streamed objects first in the order
 * given, then the objects re-streamed for handleRelated.
 */
export async function streamInTx(
  registry: Registry,
  trx: Knex.Transaction,
  objects: object | readonly object[],
  options: StreamOptions = {},
): Promise<string[]> {
  requireOpenTransaction(trx, 'streamInTx');
  const { settings, outbox } = resolveCall(options, options.type ?? 'update');
  const groups = groupByModel(registry, Array.isArray(objects) ? objects : [objects], options.model);

  const messages: OutboxMessage[] = [];
  for (const group of groups) {
    const reload = options.reload ?? group.plan.streamer.reload;
    const built = await buildObjectMessages(trx, group.plan, group.objects, settings, reload);
    built.forEach((message, index) => {
      messages[group.positions[index] as number] = message;
    });
  }

  if (HANDLED_TYPES.has(settings.type)) messages.push(...(await dependentMessages(registry, trx, groups, settings)));
  return writeMessages(trx, outbox, settings, messages);
}

/** Inserts messages, or hands them to the enclosing squash. Returns their message ids. */
export async function writeMessages(
  trx: Knex.Transaction,
  outbox: OutboxTable,
  settings: CallSettings,
  messages: OutboxMessage[],
): Promise<string[]> {
  const squash = settings.context.squash;
  if (squash !== undefined) {
    squash.add({ trx, outbox }, messages);
  } else {
    requireOpenTransaction(trx, 'streamInTx');
    await insertOutboxMessages(trx, outbox, messages);
  }
  return messages.map((message) => message.messageId);
}

function groupByModel(registry: Registry, objects: readonly object[], model: ModelClass | undefined): ModelGroup[] {
  const groups = new Map<ModelClass, ModelGroup>();
  objects.forEach((obj, position) => {
    if (typeof obj !== 'object' || obj === null) throw new InvalidObjectError(obj, position);
    const objectModel = model ?? modelOf(obj);
    let group = groups.get(objectModel);
    if (group === undefined) {
      group = { plan: registry.planOf(objectModel), objects: [], positions: [] };
      groups.set(objectModel, group);
    }
    group.objects.push(obj);
    group.positions.push(position);
  });
  return [...groups.values()];
}

function modelOf(obj: object): ModelClass {
  const modelClass = (obj as { constructor?: unknown }).constructor;
  if (typeof modelClass !== 'function' || modelClass === Object) throw new ModelNotRegisteredError('Object (a plain row)');
  return modelClass as ModelClass;
}

async function dependentMessages(
  registry: Registry,
  trx: Knex.Transaction,
  groups: readonly ModelGroup[],
  settings: CallSettings,
): Promise<OutboxMessage[]> {
  const streamed = new Map<ModelClass, Set<string>>();
  for (const { plan, objects } of groups) {
    const ids = new Set<string>();
    for (const obj of objects) {
      const key = valueKey((obj as Record<string, unknown>)[plan.idField]);
      if (key !== undefined) ids.add(key);
    }
    streamed.set(plan.model, ids);
  }

  const messages: OutboxMessage[] = [];
  for (const { plan, objects } of groups) {
    const dependents = registry.dependentsOf(plan.model);
    if (dependents.length === 0) continue;
    messages.push(
      ...(await buildDependentMessages(trx, plan.model, objects, dependents, streamed, settings, plan.streamer.batchSize)),
    );
  }
  return messages;
}
