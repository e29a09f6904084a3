import { createRegistry, type Registry } from './registry.js';

const globalRegistry = createRegistry();

/** Returns the global registry that the package's top-level functions use. */
export function getRegistry(): Registry {
  return globalRegistry;
}

export const register: Registry['register'] = globalRegistry.register;
export const getStreamer: Registry['getStreamer'] = globalRegistry.getStreamer;
export const streamInTx: Registry['streamInTx'] = globalRegistry.streamInTx;
export const streamCreate: Registry['streamCreate'] = globalRegistry.streamCreate;
export const streamUpdate: Registry['streamUpdate'] = globalRegistry.streamUpdate;
export const streamDelete: Registry['streamDelete'] = globalRegistry.streamDelete;
export const streamRefresh: Registry['streamRefresh'] = globalRegistry.streamRefresh;
export const streamDeleteIds: Registry['streamDeleteIds'] = globalRegistry.streamDeleteIds;
export const fullRefresh: Registry['fullRefresh'] = globalRegistry.fullRefresh;
