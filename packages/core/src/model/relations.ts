import { ConfigurationError } from '../errors/kafka-streamer-error.js';
import { validateIdentifier } from '../outbox/table.js';
import { type ModelClass, modelIdColumn, modelTable, parseTableName, type TableName } from './model.js';

/**
 * How a model joins another one, in the static `relations` of the model class.
 *
 * - `belongsTo`: this row contains `foreignKey`, pointing at `targetKey` (default: the
 *   other model's id) of one other row. Streamed as an object or null.
 * - `hasOne`: one other row contains `foreignKey`, pointing at `sourceKey` (default: this
 *   model's id). Streamed as an object or null.
 * - `hasMany`: many other rows contain `foreignKey`. Streamed as a list.
 * - `manyToMany`: rows of `through.table` join this row (`through.from` = this row's
 *   `sourceKey`) to other rows (`through.to` = their `targetKey`). Streamed as a list.
 */
export type RelationDefinition =
  | { readonly kind: 'belongsTo'; readonly model: () => ModelClass; readonly foreignKey: string; readonly targetKey?: string }
  | {
      readonly kind: 'hasOne' | 'hasMany';
      readonly model: () => ModelClass;
      readonly foreignKey: string;
      readonly sourceKey?: string;
    }
  | {
      readonly kind: 'manyToMany';
      readonly model: () => ModelClass;
      readonly through: { readonly table: string; readonly from: string; readonly to: string };
      readonly sourceKey?: string;
      readonly targetKey?: string;
    };

export type RelationKind = RelationDefinition['kind'];

/**
 * A relation with every name resolved: rows of `target` match a source row when
 * `target[targetColumn]` equals `source[sourceColumn]`, through the join table if any.
 */
export interface Relation {
  readonly name: string;
  readonly kind: RelationKind;
  readonly source: ModelClass;
  readonly target: ModelClass;
  readonly targetTable: TableName;
  readonly targetId: string;
  readonly sourceColumn: string;
  readonly targetColumn: string;
  readonly through: { readonly table: TableName; readonly from: string; readonly to: string } | undefined;
  /** True when streamed as a list (hasMany, manyToMany), false for an object or null. */
  readonly many: boolean;
}

const resolved = new WeakMap<ModelClass, Map<string, Relation>>();

/**
 * Returns the relations of a model by name, from its `relations` or its Objection.js
 * `relationMappings`. `sourceId` is the model's id column. Cached per model.
 */
export function modelRelations(model: ModelClass, sourceId: string): ReadonlyMap<string, Relation> {
  const cached = resolved.get(model);
  if (cached !== undefined) return cached;

  const definitions = model.relations ?? fromRelationMappings(model);
  const relations = new Map<string, Relation>();
  for (const [name, definition] of Object.entries(definitions ?? {})) {
    relations.set(name, resolveRelation(model, sourceId, name, definition));
  }

  resolved.set(model, relations);
  return relations;
}

function resolveRelation(source: ModelClass, sourceId: string, name: string, def: RelationDefinition): Relation {
  const what = `relation ${name} of model ${source.name}`;
  if (typeof def?.model !== 'function') {
    throw new ConfigurationError(`${what} needs \`model: () => OtherModel\``);
  }

  const target = def.model();
  const targetTable = modelTable(target);
  const targetId = modelIdColumn(target);
  const base = { name, kind: def.kind, source, target, targetTable, targetId };

  switch (def.kind) {
    case 'belongsTo':
      return {
        ...base,
        sourceColumn: validateIdentifier(def.foreignKey, `foreignKey of ${what}`),
        targetColumn: validateIdentifier(def.targetKey ?? targetId, `targetKey of ${what}`),
        through: undefined,
        many: false,
      };
    case 'hasOne':
    case 'hasMany':
      return {
        ...base,
        sourceColumn: validateIdentifier(def.sourceKey ?? sourceId, `sourceKey of ${what}`),
        targetColumn: validateIdentifier(def.foreignKey, `foreignKey of ${what}`),
        through: undefined,
        many: def.kind === 'hasMany',
      };
    case 'manyToMany':
      return {
        ...base,
        sourceColumn: validateIdentifier(def.sourceKey ?? sourceId, `sourceKey of ${what}`),
        targetColumn: validateIdentifier(def.targetKey ?? targetId, `targetKey of ${what}`),
        through: {
          table: parseTableName(String(def.through?.table), `through.table of ${what}`),
          from: validateIdentifier(def.through?.from, `through.from of ${what}`),
          to: validateIdentifier(def.through?.to, `through.to of ${what}`),
        },
        many: true,
      };
    default:
      throw new ConfigurationError(
        `${what} has kind ${JSON.stringify((def as { kind?: unknown }).kind)}: use belongsTo, hasOne, hasMany or manyToMany`,
      );
  }
}

interface ObjectionMapping {
  relation?: { name?: string };
  modelClass?: unknown;
  join?: { from?: unknown; to?: unknown; through?: { from?: unknown; to?: unknown } };
}

const OBJECTION_KINDS: Record<string, RelationKind> = {
  BelongsToOneRelation: 'belongsTo',
  HasOneRelation: 'hasOne',
  HasManyRelation: 'hasMany',
  ManyToManyRelation: 'manyToMany',
};

/**
 * Translates Objection.js `relationMappings` (an object or a function returning one)
 * into relation definitions. `modelClass` must be a class, not a module path.
 */
function fromRelationMappings(model: ModelClass): Record<string, RelationDefinition> | undefined {
  const raw = model.relationMappings;
  const mappings = (typeof raw === 'function' ? raw.call(model) : raw) as Record<string, ObjectionMapping> | undefined;
  if (mappings === undefined || mappings === null) return undefined;

  const definitions: Record<string, RelationDefinition> = {};
  for (const [name, mapping] of Object.entries(mappings)) {
    definitions[name] = fromObjectionMapping(model, name, mapping);
  }
  return definitions;
}

function fromObjectionMapping(model: ModelClass, name: string, mapping: ObjectionMapping): RelationDefinition {
  const what = `relationMappings.${name} of model ${model.name}`;
  const relationName = mapping.relation?.name ?? '';
  const kind = OBJECTION_KINDS[relationName];
  if (kind === undefined) {
    throw new ConfigurationError(
      `${what} uses ${relationName || 'an unknown relation'}: supported are BelongsToOneRelation, HasOneRelation, HasManyRelation and ManyToManyRelation`,
    );
  }
  if (typeof mapping.modelClass !== 'function') {
    throw new ConfigurationError(`${what}: modelClass must be the model class itself, not a module path`);
  }

  const target = mapping.modelClass as ModelClass;
  const ownTable = modelTable(model).table;
  const [from, to] = orientJoin(ownTable, mapping.join?.from, mapping.join?.to, what);

  switch (kind) {
    case 'belongsTo':
      return { kind, model: () => target, foreignKey: from.column, targetKey: to.column };
    case 'hasOne':
    case 'hasMany':
      return { kind, model: () => target, foreignKey: to.column, sourceKey: from.column };
    case 'manyToMany': {
      const throughFrom = splitColumnRef(mapping.join?.through?.from, what);
      const throughTo = splitColumnRef(mapping.join?.through?.to, what);
      return {
        kind,
        model: () => target,
        through: { table: throughFrom.table, from: throughFrom.column, to: throughTo.column },
        sourceKey: from.column,
        targetKey: to.column,
      };
    }
  }
}

interface ColumnRef {
  readonly table: string;
  readonly column: string;
}

// Objection accepts join.from and join.to in either order: the side naming this
// model's table is the source.
function orientJoin(ownTable: string, from: unknown, to: unknown, what: string): [ColumnRef, ColumnRef] {
  const a = splitColumnRef(from, what);
  const b = splitColumnRef(to, what);
  return b.table === ownTable && a.table !== ownTable ? [b, a] : [a, b];
}

function splitColumnRef(ref: unknown, what: string): ColumnRef {
  const text = typeof ref === 'string' ? ref : '';
  const dot = text.lastIndexOf('.');
  if (dot <= 0) {
    throw new ConfigurationError(
      `${what}: join reference ${JSON.stringify(ref)} must be one "table.column" string; composite keys are not supported`,
    );
  }
  return { table: text.slice(0, dot).split('.').pop() ?? '', column: text.slice(dot + 1) };
}
