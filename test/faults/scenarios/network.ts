import type { ScenarioContext, ScenarioSpec } from '../scenario.js';

type NetworkFault = 'latency' | 'drop' | 'reset' | 'half-open';

const FAULTS: readonly NetworkFault[] = ['latency', 'drop', 'reset', 'half-open'];

async function inject(context: ScenarioContext, kind: NetworkFault): Promise<string> {
  const { prng, broker } = context;
  const proxy = broker.proxy;
  switch (kind) {
    case 'latency': {
      const latencyMs = prng.int(200, 1500);
      proxy.latencyMs = latencyMs;
      const holdMs = prng.int(2000, 4000);
      await context.sleep(holdMs);
      proxy.heal();
      return `${latencyMs} ms latency for ${holdMs} ms`;
    }
    case 'drop': {
      const count = prng.int(1, 3);
      proxy.dropNextProduce(count);
      await context.sleep(2000);
      proxy.heal();
      return `next ${count} produce requests dropped with a reset`;
    }
    case 'reset':
      proxy.resetAll();
      await context.sleep(500);
      return 'every connection reset';
    case 'half-open': {
      proxy.mode = 'half-open';
      const holdMs = prng.int(2000, 6000);
      await context.sleep(holdMs);
      proxy.heal();
      return `connections half-open for ${holdMs} ms, then reset`;
    }
  }
}

/** Two relays reach the broker through a proxy that adds latency, drops produce requests, resets and half-opens connections. */
export const network: ScenarioSpec = {
  name: 'network',
  relays: 2,
  async run(context) {
    const { prng, faults } = context;
    for (let index = 0; index < context.size.proxyFaults; index += 1) {
      await context.sleep(prng.int(500, 2500));
      const kind = prng.pick(FAULTS);
      const record = faults.add(`proxy ${kind}`);
      const injected = inject(context, kind);
      await faults.watch(record, injected);
      record.detail = await injected;
      await faults.watch(record, context.sleep(2000));
    }
    await context.sleep(1000);
  },
};
