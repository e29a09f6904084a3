import type { Knex } from 'knex';
import type { Row } from '../model/model.js';
import type { Relation } from '../model/relations.js';
import type { RelatedRows } from './batch.js';
import { columnsOf, selectRows } from './select-rows.js';

/** Returns the lookup key of a column value, or undefined for null and missing values. */
export function valueKey(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** Converts a value to a query binding: drivers differ on BigInt, so it is sent as decimal text. */
export function bindable(value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

// Alias of the join table's source key in many-to-many queries; removed from the rows.
const OWNER = '__ks_owner';

/**
 * Loads the related rows of a batch with one query per relation, never one per
 * object. Lists are ordered by the related model's id.
 */
export async function loadRelated(
  trx: Knex.Transaction,
  relations: readonly Relation[],
  objects: readonly object[],
): Promise<RelatedRows> {
  const related = new Map<string, Map<string, Row | null | Row[]>>();
  for (const relation of relations) {
    related.set(relation.name, await loadRelation(trx, relation, objects));
  }
  return related;
}

async function loadRelation(trx: Knex.Transaction, relation: Relation, objects: readonly object[]) {
  const values = distinctValues(objects, relation.sourceColumn);
  const grouped = new Map<string, Row | null | Row[]>();
  if (values.length === 0) return grouped;

  const rows = relation.through === undefined ? await loadDirect(trx, relation, values) : await loadThrough(trx, relation, values);
  for (const { owner, row } of rows) {
    if (owner === undefined) continue;
    if (!relation.many) {
      if (!grouped.has(owner)) grouped.set(owner, row);
      continue;
    }
    const list = (grouped.get(owner) as Row[] | undefined) ?? [];
    list.push(row);
    grouped.set(owner, list);
  }
  return grouped;
}

async function loadDirect(trx: Knex.Transaction, relation: Relation, values: readonly unknown[]) {
  const rows: Row[] = await selectRows(trx, relation.targetTable, await columnsOf(trx, relation.targetTable))
    .whereIn(relation.targetColumn, values as readonly string[])
    .orderBy(relation.targetId);
  return rows.map((row) => ({ owner: valueKey(row[relation.targetColumn]), row }));
}

async function loadThrough(trx: Knex.Transaction, relation: Relation, values: readonly unknown[]) {
  const through = relation.through;
  if (through === undefined) return [];

  const rows: Row[] = await selectRows(trx, relation.targetTable, await columnsOf(trx, relation.targetTable), 't')
    .select({ [OWNER]: `j.${through.from}` })
    .join({ j: through.table.qualified }, `j.${through.to}`, `t.${relation.targetColumn}`)
    .whereIn(`j.${through.from}`, values as readonly string[])
    .orderBy([`t.${relation.targetId}`, `j.${through.from}`]);

  return rows.map((row) => {
    const { [OWNER]: owner, ...own } = row;
    return { owner: valueKey(owner), row: own };
  });
}

/** Distinct non-null values of a column over the objects, ready to bind. */
export function distinctValues(objects: readonly object[], column: string): unknown[] {
  const seen = new Map<string, unknown>();
  for (const obj of objects) {
    const value = (obj as Row)[column];
    const key = valueKey(value);
    if (key !== undefined && !seen.has(key)) seen.set(key, bindable(value));
  }
  return [...seen.values()];
}
