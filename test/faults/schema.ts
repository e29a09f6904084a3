import { createRegistry, type MessageInfo, migrateOutbox, type Registry } from '@kafka-streamer/core';
import type { Knex } from 'knex';

/** An application row of the workload: `seq` counts the commits of its `item_key`, from 1. */
export class FaultItem {
  static readonly tableName = 'fault_items';
  declare id: number | string;
  declare tx: string;
  declare item_key: string;
  declare seq: number;
  declare pad: string;
}

/** The same table streamed to the second topic, so batches mix topics. */
export class FaultItemB extends FaultItem {}

/** A row the relay can never publish: too large for the broker, or for a topic that does not exist. */
export class PoisonItem {
  static readonly tableName = 'fault_poison';
  declare id: number | string;
  declare kind: string;
  declare item_key: string;
  declare pad: string;
}

/** A poison row streamed to the missing topic. */
export class MissingTopicItem extends PoisonItem {}

export interface FaultTopics {
  readonly a: string;
  readonly b: string;
  /** Never created; the broker does not create topics on demand. */
  readonly missing: string;
}

const itemKey = ({ object }: MessageInfo<FaultItem>) => object?.item_key ?? null;

/** Creates the outbox and the workload's tables. */
export async function createFaultSchema(knex: Knex): Promise<void> {
  await migrateOutbox(knex);
  await knex.schema.createTable('fault_items', (table) => {
    table.bigIncrements('id').primary();
    table.string('tx', 40).notNullable();
    table.string('item_key', 64).notNullable();
    table.integer('seq').notNullable();
    table.text('pad', 'mediumtext').notNullable();
  });
  await knex.schema.createTable('fault_poison', (table) => {
    table.bigIncrements('id').primary();
    table.string('kind', 20).notNullable();
    table.string('item_key', 64).notNullable();
    table.text('pad', 'longtext').notNullable();
  });
}

/** A registry that streams items to topics a and b, and poison rows to a and to the missing topic, keyed by `item_key`. */
export function createFaultRegistry(topics: FaultTopics): Registry {
  const registry = createRegistry();
  registry.register(FaultItem, { topic: topics.a, keySerializer: itemKey, compact: true });
  registry.register(FaultItemB, { topic: topics.b, keySerializer: itemKey, compact: true });
  registry.register(PoisonItem, { topic: topics.a, keySerializer: itemKey as never, compact: true });
  registry.register(MissingTopicItem, { topic: topics.missing, keySerializer: itemKey as never, compact: true });
  return registry;
}
