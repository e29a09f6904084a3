import type { ScenarioSpec } from '../scenario.js';
import { longTransaction } from '../workload.js';

/**
 * Transactions that hold a REPEATABLE READ snapshot for seconds, with outbox rows of
 * low ids, while the workload commits rows with higher ids around them.
 */
export const longTransactionScenario: ScenarioSpec = {
  name: 'long-transaction',
  relays: 2,
  async run(context) {
    const { prng } = context;
    const running: Promise<string>[] = [];
    for (let index = 0; index < context.size.longTransactions; index += 1) {
      await context.sleep(prng.int(500, 2500));
      const holdMs = prng.int(2000, 6000);
      running.push(longTransaction(context.knex, context.registry, `${index}`, prng.int(1, 4), holdMs));
    }
    await Promise.all(running);
    context.figures.set('long transactions', running.length);
    await context.sleep(1000);
  },
};
