import type { Knex } from 'knex';
import { isHandleRelatedSuspended } from '../context/context.js';
import { dialectOf } from '../outbox/dialect.js';
import type { ModelClass, Row } from '../model/model.js';
import type { Relation } from '../model/relations.js';
import { distinctValues, valueKey } from '../streamer/load-related.js';
import type { StreamPlan } from '../streamer/plan.js';
import { columnsOf, selectRows } from '../streamer/select-rows.js';
import { buildObjectMessages } from './build-object-messages.js';
import type { CallSettings } from './envelope.js';
import type { OutboxMessage } from './message.js';

/** A registered streamer whose handleRelated names a relation to a given model. */
export interface Dependent {
  readonly plan: StreamPlan<object>;
  readonly relation: Relation;
}

/**
 * Builds `update` messages for every object of a dependent model that points at one
 * of the changed objects, with one query per dependent relation for every
 * `chunkSize` changed objects. Objects already streamed by the same call are
 * skipped, and so is each object found twice.
 */
export async function buildDependentMessages(
  trx: Knex.Transaction,
  changedModel: ModelClass,
  changed: readonly object[],
  dependents: readonly Dependent[],
  alreadyStreamed: ReadonlyMap<ModelClass, ReadonlySet<string>>,
  settings: CallSettings,
  chunkSize: number,
): Promise<OutboxMessage[]> {
  const found = new Map<StreamPlan<object>, Map<string, Row>>();
  for (const { plan, relation } of dependents) {
    if (isHandleRelatedSuspended(changedModel, plan.model)) continue;

    const rows = found.get(plan) ?? new Map<string, Row>();
    const skip = alreadyStreamed.get(plan.model);
    for (let start = 0; start < changed.length; start += chunkSize) {
      for (const row of await pointingRows(trx, plan, relation, changed.slice(start, start + chunkSize))) {
        const key = valueKey(row[plan.idField]);
        if (key !== undefined && !skip?.has(key) && !rows.has(key)) rows.set(key, row);
      }
    }
    found.set(plan, rows);
  }

  const messages: OutboxMessage[] = [];
  for (const [plan, rows] of found) {
    if (rows.size === 0) continue;
    messages.push(...(await buildObjectMessages(trx, plan, [...rows.values()], { ...settings, type: 'update' }, false)));
  }
  return messages;
}

// Rows of the dependent model whose relation matches a changed object: the
// dependent's sourceColumn equals the changed object's targetColumn, directly or
// through the join table.
//
// The rows are read FOR UPDATE on PostgreSQL and MySQL. Two transactions that
// re-stream the same dependent (a customer rename and a product rename both
// re-streaming one order) then take turns: the second waits for the first to
// commit, so their outbox rows get ids in commit order and the relay publishes
// them in that order. SQLite allows one writer at a time and needs no lock.
async function pointingRows(trx: Knex.Transaction, plan: StreamPlan<object>, relation: Relation, changed: readonly object[]) {
  const values = distinctValues(changed, relation.targetColumn);
  if (values.length === 0) return [];
  const lock = dialectOf(trx) !== 'sqlite';

  if (relation.through === undefined) {
    const query = selectRows(trx, plan.table, await columnsOf(trx, plan.table))
      .whereIn(relation.sourceColumn, values as string[])
      .orderBy(plan.idField);
    const rows: Row[] = await (lock ? query.forUpdate() : query);
    return rows;
  }

  const { table, from, to } = relation.through;
  const query = selectRows(trx, plan.table, await columnsOf(trx, plan.table), 'd')
    .join({ j: table.qualified }, `j.${from}`, `d.${relation.sourceColumn}`)
    .whereIn(`j.${to}`, values as string[])
    .orderBy(`d.${plan.idField}`);
  const rows: Row[] = await (lock ? query.forUpdate() : query);
  return rows;
}
