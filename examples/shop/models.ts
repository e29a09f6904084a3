import type { RelationDefinition } from '@kafka-streamer/core';

// Plain classes with a static tableName and relations: kafka-streamer needs no ORM.
// The instance fields document the row shape; rows are streamed as Knex returns them.

export class Customer {
  static readonly tableName = 'customers';

  declare id: number;
  declare name: string;
  declare email: string;
  declare version: number;
  declare note: string | null;
  declare created_at: Date;
}

export class Product {
  static readonly tableName = 'products';

  declare id: number;
  declare sku: string;
  declare name: string;
  /** Decimal as the driver returns it: a string on PostgreSQL and MySQL, a number on SQLite. */
  declare price: string | number;
  declare version: number;
  declare note: string | null;
}

export class Tag {
  static readonly tableName = 'tags';

  declare id: number;
  declare name: string;
}

export class OrderLine {
  static readonly tableName = 'order_lines';

  static readonly relations: Readonly<Record<string, RelationDefinition>> = {
    order: { kind: 'belongsTo', model: () => Order, foreignKey: 'order_id' },
    product: { kind: 'belongsTo', model: () => Product, foreignKey: 'product_id' },
  };

  declare id: number;
  declare order_id: number;
  declare product_id: number;
  declare quantity: number;
  declare unit_price: string | number;
}

export class Order {
  static readonly tableName = 'orders';

  static readonly relations: Readonly<Record<string, RelationDefinition>> = {
    customer: { kind: 'belongsTo', model: () => Customer, foreignKey: 'customer_id' },
    lines: { kind: 'hasMany', model: () => OrderLine, foreignKey: 'order_id' },
    tags: { kind: 'manyToMany', model: () => Tag, through: { table: 'order_tags', from: 'order_id', to: 'tag_id' } },
    // The products of the lines; an order has each product on one line at most.
    products: {
      kind: 'manyToMany',
      model: () => Product,
      through: { table: 'order_lines', from: 'order_id', to: 'product_id' },
    },
  };

  declare id: number;
  declare customer_id: number;
  declare status: string;
  declare version: number;
  declare note: string | null;
  declare placed_at: Date;
}
