import type { Knex } from 'knex';
import { ConfigurationError } from '../errors/kafka-streamer-error.js';
import type { Row } from '../model/model.js';
import type { Relation } from '../model/relations.js';

/** Related rows of one batch: relation name -> object key -> an object, null or a list. */
export type RelatedRows = ReadonlyMap<string, ReadonlyMap<string, Row | null | readonly Row[]>>;

/**
 * The objects streamed together, handed to computed fields so that they can load
 * data once for all objects instead of once per object. Subclass it (streamer option
 * `batchClass`) and override `preload()` to load such data; `data` is a free cache.
 */
export class Batch<T extends object = Row> {
  readonly objects: readonly T[];
  readonly trx: Knex.Transaction;
  readonly data = new Map<string, unknown>();

  readonly #related: RelatedRows;
  readonly #relations: ReadonlyMap<string, Relation>;
  readonly #keyOf: (obj: T, column: string) => string | undefined;

  constructor(
    objects: readonly T[],
    trx: Knex.Transaction,
    related: RelatedRows,
    relations: ReadonlyMap<string, Relation>,
    keyOf: (obj: T, column: string) => string | undefined,
  ) {
    this.objects = objects;
    this.trx = trx;
    this.#related = related;
    this.#relations = relations;
    this.#keyOf = keyOf;
  }

  /** Loads data for the whole batch before any message is built. The default does nothing. */
  async preload(): Promise<void> {}

  /**
   * Returns the related rows of `obj` loaded for this batch: a row or null for
   * belongsTo and hasOne, a list for hasMany and manyToMany. Only relations named in
   * `include`, `selectRelated` or `prefetchRelated` are loaded.
   */
  related(obj: T, name: string): Row | null | readonly Row[] {
    const relation = this.#relations.get(name);
    const rows = this.#related.get(name);
    if (relation === undefined || rows === undefined) {
      throw new ConfigurationError(
        `relation ${JSON.stringify(name)} was not loaded for this batch: add it to include, selectRelated or prefetchRelated`,
      );
    }

    const key = this.#keyOf(obj, relation.sourceColumn);
    const found = key === undefined ? undefined : rows.get(key);
    return found ?? (relation.many ? [] : null);
  }
}

/** A subclass of Batch, for the `batchClass` option. */
export type BatchClass<T extends object = Row> = new (
  ...args: ConstructorParameters<typeof Batch<T>>
) => Batch<T>;
