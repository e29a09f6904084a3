import type { Knex } from 'knex';
import type { RelationDefinition } from '../../src/index.js';

/** A customer: referenced by orders (belongsTo). */
export class Customer {
  static tableName = 'customers';
  id?: unknown;
}

export class Item {
  static tableName = 'order_items';
  id?: unknown;
}

export class Invoice {
  static tableName = 'invoices';
  id?: unknown;
}

export class Tag {
  static tableName = 'tags';
  id?: unknown;
}

/** An order with one relation of each kind. */
export class Order {
  static tableName = 'orders';
  id?: unknown;
  static relations: Record<string, RelationDefinition> = {
    customer: { kind: 'belongsTo', model: () => Customer, foreignKey: 'customer_id' },
    items: { kind: 'hasMany', model: () => Item, foreignKey: 'order_id' },
    invoice: { kind: 'hasOne', model: () => Invoice, foreignKey: 'order_id' },
    tags: { kind: 'manyToMany', model: () => Tag, through: { table: 'order_tags', from: 'order_id', to: 'tag_id' } },
  };
}

// Stand-ins for Objection's relation classes: only their names are read.
class BelongsToOneRelation {}
class HasManyRelation {}
class HasOneRelation {}
class ManyToManyRelation {}

/** The same order model, described with Objection.js relationMappings. */
export class ObjectionOrder {
  static tableName = 'orders';
  id?: unknown;
  static relationMappings = () => ({
    customer: {
      relation: BelongsToOneRelation,
      modelClass: Customer,
      join: { from: 'orders.customer_id', to: 'customers.id' },
    },
    items: { relation: HasManyRelation, modelClass: Item, join: { from: 'orders.id', to: 'order_items.order_id' } },
    invoice: { relation: HasOneRelation, modelClass: Invoice, join: { from: 'invoices.order_id', to: 'orders.id' } },
    tags: {
      relation: ManyToManyRelation,
      modelClass: Tag,
      join: { from: 'orders.id', through: { from: 'order_tags.order_id', to: 'order_tags.tag_id' }, to: 'tags.id' },
    },
  });
}

/** Creates the shop tables. */
export async function createShopTables(knex: Knex): Promise<void> {
  await knex.schema.createTable('customers', (t) => {
    t.increments('id');
    t.string('name', 50);
  });
  await knex.schema.createTable('orders', (t) => {
    t.increments('id');
    t.string('number', 20);
    t.integer('customer_id').unsigned().nullable().references('customers.id');
  });
  await knex.schema.createTable('order_items', (t) => {
    t.increments('id');
    t.integer('order_id').unsigned().notNullable().references('orders.id');
    t.string('sku', 20);
    t.integer('qty');
  });
  await knex.schema.createTable('invoices', (t) => {
    t.increments('id');
    t.integer('order_id').unsigned().notNullable().unique().references('orders.id');
    t.integer('total');
  });
  await knex.schema.createTable('tags', (t) => {
    t.increments('id');
    t.string('label', 20);
  });
  await knex.schema.createTable('order_tags', (t) => {
    t.increments('id');
    t.integer('order_id').unsigned().notNullable().references('orders.id');
    t.integer('tag_id').unsigned().notNullable().references('tags.id');
  });
}

/** Inserts `count` orders (ids 1..count) for customer 1, each with two items, an invoice and two tags. */
export async function insertShopRows(knex: Knex, count: number): Promise<void> {
  await knex('customers').insert([
    { id: 1, name: 'Ada' },
    { id: 2, name: 'Bob' },
  ]);
  await knex('tags').insert([
    { id: 1, label: 'gift' },
    { id: 2, label: 'rush' },
  ]);

  const orders = Array.from({ length: count }, (_, i) => ({ id: i + 1, number: `N-${i + 1}`, customer_id: 1 }));
  await knex.batchInsert('orders', orders, 100);
  const items = orders.flatMap((order) => [
    { order_id: order.id, sku: `A-${order.id}`, qty: 1 },
    { order_id: order.id, sku: `B-${order.id}`, qty: 2 },
  ]);
  await knex.batchInsert('order_items', items, 100);
  await knex.batchInsert('invoices', orders.map((order) => ({ order_id: order.id, total: order.id * 10 })), 100);
  const links = orders.flatMap((order) => [
    { order_id: order.id, tag_id: 2 },
    { order_id: order.id, tag_id: 1 },
  ]);
  await knex.batchInsert('order_tags', links, 100);
}
