import type { Knex } from 'knex';
import type { ModelClass } from '../model/model.js';
import type { Registry } from '../registry/registry.js';
import { loadTableColumns } from '../streamer/serialization.js';
import { resolveCall, type StreamOptions } from './call-options.js';
import { buildDependentMessages } from './handle-related.js';
import type { OutboxMessage } from './message.js';
import { buildDeleteIdMessages } from './special-messages.js';
import { streamInTx, writeMessages } from './stream-in-tx.js';
import { requireOpenTransaction } from './transaction-guard.js';

/** Options of the typed shortcuts: every stream option but the type. */
export type ShortcutOptions = Omit<StreamOptions, 'type'>;

/** Streams objects as `create`. */
export function streamCreate(registry: Registry, trx: Knex.Transaction, objects: object | readonly object[], options: ShortcutOptions = {}) {
  return streamInTx(registry, trx, objects, { ...options, type: 'create' });
}

/** Streams objects as `update`. */
export function streamUpdate(registry: Registry, trx: Knex.Transaction, objects: object | readonly object[], options: ShortcutOptions = {}) {
  return streamInTx(registry, trx, objects, { ...options, type: 'update' });
}

/** Streams objects as `delete` with their last state: pass the rows as they were before the DELETE. */
export function streamDelete(registry: Registry, trx: Knex.Transaction, objects: object | readonly object[], options: ShortcutOptions = {}) {
  return streamInTx(registry, trx, objects, { ...options, type: 'delete' });
}

/** Streams objects as `refresh`. */
export function streamRefresh(registry: Registry, trx: Knex.Transaction, objects: object | readonly object[], options: ShortcutOptions = {}) {
  return streamInTx(registry, trx, objects, { ...options, type: 'refresh' });
}

/**
 * Streams `delete` messages that carry only the id (`{"_time", "_type": "delete",
 * "id": 5, <static fields>}`), for rows already gone. handleRelated re-streams only
 * the dependents that can be found from the id alone.
 */
export async function streamDeleteIds(
  registry: Registry,
  trx: Knex.Transaction,
  model: ModelClass,
  ids: readonly unknown[],
  options: Omit<ShortcutOptions, 'model' | 'reload'> = {},
): Promise<string[]> {
  requireOpenTransaction(trx, 'streamDeleteIds');
  const plan = registry.planOf(model);
  const { settings, outbox } = resolveCall(options, 'delete');

  const columns = await loadTableColumns(trx, plan.table.table, plan.table.schema);
  const messages: OutboxMessage[] = buildDeleteIdMessages(plan, columns, ids, settings);

  const changed = ids.map((id) => ({ [plan.idField]: id }));
  const streamed = new Map([[model, new Set(ids.map(String))]]);
  const dependents = registry.dependentsOf(model);
  if (dependents.length > 0) {
    messages.push(
      ...(await buildDependentMessages(trx, model, changed, dependents, streamed, settings, plan.streamer.batchSize)),
    );
  }
  return writeMessages(trx, outbox, settings, messages);
}
