import type { Knex } from 'knex';
import type { RelationDefinition } from '../../src/index.js';

/** The related model of the documented examples: `others(id, other_field)`. */
export class Other {
  static tableName = 'others';
  id!: number;
  other_field!: number;
}

/** The model of the documented examples: `my_models(id, field1, field2, other_id)`. */
export class MyModel {
  static tableName = 'my_models';
  static relations: Record<string, RelationDefinition> = {
    other: { kind: 'belongsTo', model: () => Other, foreignKey: 'other_id' },
  };
  id!: number;
  field1!: number;
  field2!: string;
  other_id!: number | null;
}

/** Creates the tables of Other and MyModel. */
export async function createExampleTables(knex: Knex): Promise<void> {
  await knex.schema.createTable('others', (t) => {
    t.increments('id');
    t.integer('other_field');
  });
  await knex.schema.createTable('my_models', (t) => {
    t.increments('id');
    t.integer('field1');
    t.string('field2', 10);
    t.integer('other_id').unsigned().nullable().references('others.id');
  });
}

/** Builds a model instance from a row. */
export function instance<T extends object>(model: new () => T, row: Partial<T>): T {
  return Object.assign(new model(), row);
}
