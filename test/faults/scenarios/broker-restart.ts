import type { ScenarioSpec } from '../scenario.js';

/** The broker is stopped (SIGTERM) and started again on its data while two relays produce. */
export const brokerRestart: ScenarioSpec = {
  name: 'broker-restart',
  relays: 2,
  async run(context) {
    const { prng, broker, faults } = context;
    for (let index = 0; index < context.size.brokerRestarts; index += 1) {
      await context.sleep(prng.int(2000, 5000));
      const record = faults.add('broker restart');
      const startedAt = Date.now();
      const restart = broker.restart();
      await faults.watch(record, restart);
      context.figures.set('max broker downtime ms', Math.max(context.figures.get('max broker downtime ms') ?? 0, Date.now() - startedAt));
      await faults.watch(record, context.sleep(3000));
    }
    await context.sleep(2000);
  },
};
