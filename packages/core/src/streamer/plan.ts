import { ConfigurationError } from '../errors/kafka-streamer-error.js';
import { type ModelClass, modelTable, type TableName } from '../model/model.js';
import { modelRelations, type Relation } from '../model/relations.js';
import type { ComputedField, Streamer } from './streamer.js';

/** An entry appended after the columns: a relation or a computed value. */
export interface IncludeEntry<T extends object> {
  readonly name: string;
  readonly relation: Relation | undefined;
  readonly computed: ComputedField<T> | undefined;
}

/** Everything a streamer's options resolve to, computed once per registration. */
export interface StreamPlan<T extends object> {
  readonly model: ModelClass;
  readonly streamer: Streamer<T>;
  readonly table: TableName;
  readonly idField: string;
  readonly relations: ReadonlyMap<string, Relation>;
  readonly exclude: ReadonlySet<string>;
  /** Relation name -> fields left out of its nested objects. */
  readonly nestedExclude: ReadonlyMap<string, ReadonlySet<string>>;
  /** Relation name -> field -> computed override of a nested field. */
  readonly nestedComputed: ReadonlyMap<string, ReadonlyMap<string, ComputedField<object>>>;
  /** Include entries in order, then computed-map entries that are not listed in include. */
  readonly includes: readonly IncludeEntry<T>[];
  /** Relations loaded in bulk for each batch. */
  readonly loaded: readonly Relation[];
  /** Relations named in handleRelated. */
  readonly handled: readonly Relation[];
  /** Returns the computed override of a column, if any. */
  columnOverride(column: string): ComputedField<T> | undefined;
}

/** Resolves a streamer's options against its model, rejecting unknown names. */
export function compilePlan<T extends object>(model: ModelClass, streamer: Streamer<T>): StreamPlan<T> {
  const where = `streamer of model ${model.name}`;
  const relations = modelRelations(model, streamer.idField);
  const relationNamed = (name: string, option: string): Relation => {
    const relation = relations.get(name);
    if (relation === undefined) {
      throw new ConfigurationError(
        `${option} of ${where} names ${JSON.stringify(name)}, which is not a relation of ${model.name}: ` +
          `define it in static relations (known: ${[...relations.keys()].join(', ') || 'none'})`,
      );
    }
    return relation;
  };

  const includes = compileIncludes(streamer, relations, where);
  const loaded = new Map<string, Relation>();
  for (const entry of includes) if (entry.relation !== undefined) loaded.set(entry.name, entry.relation);
  for (const name of [...streamer.selectRelated, ...streamer.prefetchRelated]) {
    loaded.set(name, relationNamed(name, 'selectRelated/prefetchRelated'));
  }

  const { exclude, nestedExclude } = splitExclude(streamer.exclude);
  return {
    model,
    streamer,
    table: modelTable(model),
    idField: streamer.idField,
    relations,
    exclude,
    nestedExclude,
    nestedComputed: nestedComputed(streamer),
    includes,
    loaded: [...loaded.values()],
    handled: streamer.handleRelated.map((name) => relationNamed(name, 'handleRelated')),
    columnOverride: (column) => findComputed(streamer, column),
  };
}

function compileIncludes<T extends object>(
  streamer: Streamer<T>,
  relations: ReadonlyMap<string, Relation>,
  where: string,
): IncludeEntry<T>[] {
  const entries: IncludeEntry<T>[] = [];
  for (const name of streamer.include) {
    const computed = findComputed(streamer, name);
    const relation = computed === undefined ? relations.get(name) : undefined;
    if (computed === undefined && relation === undefined) {
      throw new ConfigurationError(
        `include of ${where} names ${JSON.stringify(name)}, which is neither a relation nor a computed value: ` +
          `add it to static relations, to computed, or define a ${methodName(name)}(obj, batch) method`,
      );
    }
    entries.push({ name, relation, computed });
  }

  for (const [name, computed] of Object.entries(streamer.computed)) {
    if (name.includes('.') || streamer.include.includes(name)) continue;
    entries.push({ name, relation: undefined, computed });
  }
  return entries;
}

/** The method name serving a computed value: `field1_plus_one` -> `loadField1PlusOne`. */
export function methodName(name: string): string {
  const words = name.split(/[_\-.\s]+/).filter((word) => word !== '');
  return `load${words.map((word) => word[0]?.toUpperCase() + word.slice(1)).join('')}`;
}

function findComputed<T extends object>(streamer: Streamer<T>, name: string): ComputedField<T> | undefined {
  if (Object.hasOwn(streamer.computed, name)) return streamer.computed[name];

  const method = (streamer as unknown as Record<string, unknown>)[methodName(name)];
  return typeof method === 'function' ? (method.bind(streamer) as ComputedField<T>) : undefined;
}

function splitExclude(names: readonly string[]) {
  const exclude = new Set<string>();
  const nestedExclude = new Map<string, Set<string>>();
  for (const name of names) {
    const dot = name.indexOf('.');
    if (dot < 0) {
      exclude.add(name);
      continue;
    }
    const relation = name.slice(0, dot);
    const fields = nestedExclude.get(relation) ?? new Set<string>();
    fields.add(name.slice(dot + 1));
    nestedExclude.set(relation, fields);
  }
  return { exclude, nestedExclude };
}

function nestedComputed<T extends object>(streamer: Streamer<T>) {
  const byRelation = new Map<string, Map<string, ComputedField<object>>>();
  for (const [name, computed] of Object.entries(streamer.computed)) {
    const dot = name.indexOf('.');
    if (dot < 0) continue;
    const fields = byRelation.get(name.slice(0, dot)) ?? new Map<string, ComputedField<object>>();
    fields.set(name.slice(dot + 1), computed as unknown as ComputedField<object>);
    byRelation.set(name.slice(0, dot), fields);
  }
  return byRelation;
}
