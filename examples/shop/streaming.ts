import { createRegistry, type ModelClass, type Registry, squash } from '@kafka-streamer/core';
import type { Knex } from 'knex';
import { Customer, Order, Product } from './models.js';
import { shopStreamers } from './streamers.js';
import type { ShopTopics } from './topics.js';
import type { ShopStreaming, StreamedModel } from './workload-state.js';

const MODELS: Readonly<Record<StreamedModel, ModelClass>> = { customer: Customer, product: Product, order: Order };

/** Creates a registry of the shop's streamers, writing to the topics of one run. */
export function createShopRegistry(topics: ShopTopics): Registry {
  const registry = createRegistry();
  for (const { model, streamer, topic } of shopStreamers(topics)) registry.register(model, streamer, { topic });
  return registry;
}

/** Implements the workload's streaming calls with a registry. Rows are passed as `{ id }` and reloaded. */
export function registryStreaming(registry: Registry): ShopStreaming {
  const rows = (ids: readonly number[]) => ids.map((id) => ({ id }));
  return {
    async create(trx, model, ids) {
      await registry.streamCreate(trx, rows(ids), { model: MODELS[model] });
    },
    async update(trx, model, ids) {
      await registry.streamUpdate(trx, rows(ids), { model: MODELS[model] });
    },
    async deleteState(trx, model, ids) {
      await registry.streamDelete(trx, rows(ids), { model: MODELS[model] });
    },
    async deleteIds(trx, model, ids) {
      await registry.streamDeleteIds(trx, MODELS[model], ids);
    },
    async fullRefresh(knex: Knex, model) {
      await registry.fullRefresh(knex, MODELS[model]);
    },
    squash: (fn) => squash(fn),
  };
}
