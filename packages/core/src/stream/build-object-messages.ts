import type { Knex } from 'knex';
import { MissingColumnError, RowNotFoundError } from '../errors/streamer-errors.js';
import type { Row } from '../model/model.js';
import type { Relation } from '../model/relations.js';
import type { Batch } from '../streamer/batch.js';
import { bindable, distinctValues, loadRelated, valueKey } from '../streamer/load-related.js';
import type { StreamPlan } from '../streamer/plan.js';
import { columnsOf, selectRows } from '../streamer/select-rows.js';
import { loadTableColumns, normalizeColumnValue, type TableColumns } from '../streamer/serialization.js';
import type { ComputedField } from '../streamer/streamer.js';
import { addId, addStaticFields, type CallSettings, envelope, finishMessage } from './envelope.js';
import type { OutboxMessage } from './message.js';

/**
 * Builds the messages of objects of one model, in batches of `batchSize`: related
 * rows are loaded with one query per relation per batch. Throws before returning
 * anything when an object lacks a column or contains a value that cannot be encoded.
 */
export async function buildObjectMessages<T extends object>(
  trx: Knex.Transaction,
  plan: StreamPlan<T>,
  objects: readonly T[],
  settings: CallSettings,
  reload: boolean,
): Promise<OutboxMessage[]> {
  const columns = await loadTableColumns(trx, plan.table.table, plan.table.schema);
  const rows = reload ? await reloadRows(trx, plan, objects) : objects;
  for (const obj of rows) checkColumns(plan, columns, obj);

  const nestedColumns = new Map<string, TableColumns>();
  for (const relation of plan.loaded) {
    nestedColumns.set(relation.name, await loadTableColumns(trx, relation.targetTable.table, relation.targetTable.schema));
  }

  const messages: OutboxMessage[] = [];
  const size = plan.streamer.batchSize;
  for (let start = 0; start < rows.length; start += size) {
    const batch = await openBatch(trx, plan, rows.slice(start, start + size));
    for (const obj of batch.objects) {
      const body = await buildBody(plan, columns, nestedColumns, batch, obj, settings);
      messages.push(objectMessage(plan, settings, obj, body));
    }
  }
  return messages;
}

async function openBatch<T extends object>(trx: Knex.Transaction, plan: StreamPlan<T>, objects: readonly T[]) {
  const related = await loadRelated(trx, plan.loaded, objects);
  const keyOf = (obj: T, column: string) => valueKey((obj as Row)[column]);
  const batch = new plan.streamer.batchClass(objects, trx, related, plan.relations, keyOf);
  await batch.preload();
  await plan.streamer.preload(batch);
  return batch;
}

function objectMessage<T extends object>(plan: StreamPlan<T>, settings: CallSettings, obj: T, body: Map<string, unknown>) {
  const id = (obj as Row)[plan.idField];
  const key = valueKey(id);
  const mergeKey = key === undefined ? undefined : `${plan.table.qualified}\u0000${key}`;
  return finishMessage(plan.streamer as never, settings, { topic: plan.streamer.topic as string, type: settings.type, body, object: obj, id: id ?? null }, mergeKey);
}

async function buildBody<T extends object>(
  plan: StreamPlan<T>,
  columns: TableColumns,
  nestedColumns: ReadonlyMap<string, TableColumns>,
  batch: Batch<T>,
  obj: T,
  settings: CallSettings,
): Promise<Map<string, unknown>> {
  const body = envelope(settings);
  const row = obj as Row;

  for (const column of columns.columns) {
    if (plan.exclude.has(column)) continue;
    const override = plan.columnOverride(column);
    const value = override !== undefined ? await override(obj, batch) : normalize(row[column], columns, column, column);
    body.set(column, value);
  }

  for (const entry of plan.includes) {
    if (plan.exclude.has(entry.name) || columns.kinds.has(entry.name)) continue;
    const value =
      entry.relation !== undefined
        ? await nestRelated(plan, entry.relation, nestedColumns, batch, obj)
        : await (entry.computed as ComputedField<T>)(obj, batch);
    body.set(entry.name, value);
  }

  addStaticFields(body, plan.streamer.staticFields);
  addId(body, normalize(row[plan.idField], columns, plan.idField, 'id'));
  return body;
}

async function nestRelated<T extends object>(
  plan: StreamPlan<T>,
  relation: Relation,
  nestedColumns: ReadonlyMap<string, TableColumns>,
  batch: Batch<T>,
  obj: T,
): Promise<unknown> {
  const columns = nestedColumns.get(relation.name) as TableColumns;
  const related = batch.related(obj, relation.name);
  const nest = (row: Row, path: string) => nestRow(plan, relation.name, columns, batch, row, path);

  if (Array.isArray(related)) {
    const list: Map<string, unknown>[] = [];
    for (const [index, row] of related.entries()) list.push(await nest(row, `${relation.name}[${index}]`));
    return list;
  }
  return related === null ? null : nest(related as Row, relation.name);
}

// A nested object contains the related row's own columns only, one level deep.
async function nestRow<T extends object>(
  plan: StreamPlan<T>,
  relationName: string,
  columns: TableColumns,
  batch: Batch<T>,
  row: Row,
  path: string,
): Promise<Map<string, unknown>> {
  const excluded = plan.nestedExclude.get(relationName);
  const overrides = plan.nestedComputed.get(relationName);
  const nested = new Map<string, unknown>();

  for (const column of columns.columns) {
    if (excluded?.has(column)) continue;
    const override = overrides?.get(column);
    const value =
      override !== undefined
        ? await override(row, batch as unknown as Batch<object>)
        : normalize(row[column], columns, column, `${path}.${column}`);
    nested.set(column, value);
  }
  return nested;
}

function normalize(value: unknown, columns: TableColumns, column: string, field: string): unknown {
  return normalizeColumnValue(value, columns.kinds.get(column) ?? 'unknown', field, columns.scales?.get(column));
}

function checkColumns<T extends object>(plan: StreamPlan<T>, columns: TableColumns, obj: T): void {
  const row = obj as Row;
  for (const column of columns.columns) {
    if (plan.exclude.has(column) || row[column] !== undefined) continue;
    if (plan.columnOverride(column) !== undefined) continue;
    throw new MissingColumnError(plan.model.name, column, row[plan.idField]);
  }
}

/** Reads the streamed rows back by id with one query per batch, keeping the given order. */
async function reloadRows<T extends object>(trx: Knex.Transaction, plan: StreamPlan<T>, objects: readonly T[]): Promise<T[]> {
  const found = new Map<string, Row>();
  const size = plan.streamer.batchSize;
  for (let start = 0; start < objects.length; start += size) {
    const ids = distinctValues(objects.slice(start, start + size), plan.idField);
    const rows: Row[] = await selectRows(trx, plan.table, await columnsOf(trx, plan.table)).whereIn(plan.idField, ids as string[]);
    for (const row of rows) found.set(valueKey(row[plan.idField]) as string, row);
  }

  const missing = objects.map((obj) => (obj as Row)[plan.idField]).filter((id) => !found.has(valueKey(id) ?? ''));
  if (missing.length > 0) throw new RowNotFoundError(plan.table.qualified, missing.map(bindable));
  return objects.map((obj) => found.get(valueKey((obj as Row)[plan.idField]) as string) as T);
}
