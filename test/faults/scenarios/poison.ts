import type { ScenarioSpec } from '../scenario.js';
import { insertPoison, type PoisonKind } from '../workload.js';

/** Rows too large for the broker and rows for a topic that does not exist, mixed into the stream. */
export const poison: ScenarioSpec = {
  name: 'poison',
  relays: 2,
  async run(context) {
    const { prng } = context;
    const kinds: PoisonKind[] = [];
    for (let index = 0; index < context.size.poisonRows; index += 1) kinds.push('too-large', 'missing-topic');

    for (const [index, kind] of kinds.entries()) {
      await context.sleep(prng.int(300, Math.max(400, Math.floor(context.size.durationMs / kinds.length))));
      context.poison.set(await insertPoison(context.knex, context.registry, kind, `${kind}-${index}`), kind);
    }
    await context.sleep(3000);
  },
};
