import type { ScenarioSpec } from '../scenario.js';
import { killAndReplace } from './relay-kill.js';

/** Two to four relays (the seed picks how many) share the outbox while one of them is killed at random moments. */
export const multiRelay: ScenarioSpec = {
  name: 'multi-relay',
  relays: 2,
  checkTakeover: true,
  settings: { takeoverMs: 2000 },
  async run(context) {
    context.broker.proxy.latencyMs = context.prng.int(20, 60);
    const extra = context.prng.int(0, 2);
    for (let index = 0; index < extra; index += 1) context.fleet.start();
    context.figures.set('relays', 2 + extra);

    const gap = Math.max(600, Math.floor((context.size.durationMs * 1.5) / context.size.multiKills));
    await killAndReplace(context, context.size.multiKills, [Math.floor(gap / 3), gap], false);
    await context.sleep(1000);
  },
};
