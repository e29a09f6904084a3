import type { Knex } from 'knex';

/** One step of the shop's schema. */
interface ShopMigration {
  readonly name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * Adds a decimal(10,2) money column. Knex declares `decimal` as `float` on SQLite,
 * so messages would carry a float (12.5). Declared as decimal(10,2), the value is
 * written with its two places ("12.50"), as on the other databases.
 */
function decimal(knex: Knex, table: Knex.CreateTableBuilder, name: string): Knex.ColumnBuilder {
  const client = String(knex.client.config.client);
  if (client === 'better-sqlite3' || client === 'sqlite3') return table.specificType(name, 'decimal(10,2)');
  return table.decimal(name, 10, 2);
}

const createShop: ShopMigration = {
  name: '20261204000100_create_shop',

  async up(knex) {
    await knex.schema.createTable('customers', (table) => {
      table.increments('id').primary();
      table.string('name', 200).notNullable();
      table.string('email', 200).notNullable().unique();
      // Incremented by every committed change of the row; consumers and the
      // verifier use it to tell newer states from older ones.
      table.integer('version').notNullable().defaultTo(1);
      table.string('note', 100).nullable();
      table.datetime('created_at', { precision: 3 }).notNullable();
    });

    await knex.schema.createTable('products', (table) => {
      table.increments('id').primary();
      table.string('sku', 40).notNullable().unique();
      table.string('name', 200).notNullable();
      decimal(knex, table, 'price').notNullable();
      table.integer('version').notNullable().defaultTo(1);
      table.string('note', 100).nullable();
    });

    await knex.schema.createTable('orders', (table) => {
      table.increments('id').primary();
      table.integer('customer_id').unsigned().notNullable().references('id').inTable('customers');
      table.string('status', 20).notNullable();
      table.integer('version').notNullable().defaultTo(1);
      table.string('note', 100).nullable();
      table.datetime('placed_at', { precision: 3 }).notNullable();
      table.index(['customer_id']);
    });

    await knex.schema.createTable('order_lines', (table) => {
      table.increments('id').primary();
      table.integer('order_id').unsigned().notNullable().references('id').inTable('orders').onDelete('CASCADE');
      table.integer('product_id').unsigned().notNullable().references('id').inTable('products');
      table.integer('quantity').notNullable();
      decimal(knex, table, 'unit_price').notNullable();
      table.index(['order_id']);
      table.index(['product_id']);
    });

    await knex.schema.createTable('tags', (table) => {
      table.increments('id').primary();
      table.string('name', 50).notNullable().unique();
    });

    await knex.schema.createTable('order_tags', (table) => {
      table.integer('order_id').unsigned().notNullable().references('id').inTable('orders').onDelete('CASCADE');
      table.integer('tag_id').unsigned().notNullable().references('id').inTable('tags');
      table.primary(['order_id', 'tag_id']);
      table.index(['tag_id']);
    });
  },

  async down(knex) {
    for (const table of ['order_tags', 'tags', 'order_lines', 'orders', 'products', 'customers']) {
      await knex.schema.dropTableIfExists(table);
    }
  },
};

const SHOP_MIGRATIONS: readonly ShopMigration[] = [createShop];

/** A Knex migration source for the shop's own tables (the outbox has its own). */
export const shopMigrationSource: Knex.MigrationSource<ShopMigration> = {
  getMigrations: async () => [...SHOP_MIGRATIONS],
  getMigrationName: (migration) => migration.name,
  getMigration: async (migration) => migration,
};

/** Applies the shop's migrations, tracked in `shop_migrations`; returns their names. */
export async function migrateShop(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest({
    migrationSource: shopMigrationSource,
    tableName: 'shop_migrations',
  })) as [number, string[]];
  return applied;
}
