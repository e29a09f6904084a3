import type { ScenarioSpec } from '../scenario.js';

/** The database server crashes (no clean shutdown) and restarts while the workload commits and two relays publish. */
export const databaseRestart: ScenarioSpec = {
  name: 'db-restart',
  relays: 2,
  // The CLI exits 1 when the database is down at start-up; a supervisor restarts it.
  allowStartupExits: true,
  async run(context) {
    const { prng, faults, database } = context;
    if (database.crashAndRestart === undefined) throw new Error(`database ${database.label} cannot be restarted: use a private server`);

    for (let index = 0; index < context.size.databaseRestarts; index += 1) {
      // The first crash waits until the relays run, so it hits running relays rather than their start-up.
      await context.sleep(prng.int(index === 0 ? 5000 : 2000, index === 0 ? 8000 : 5000));
      const record = faults.add('database crash and restart', database.label);
      await faults.snapshot(record);
      const startedAt = Date.now();
      await database.crashAndRestart();
      context.figures.set('max database downtime ms', Math.max(context.figures.get('max database downtime ms') ?? 0, Date.now() - startedAt));
      await faults.watch(record, context.sleep(4000));
    }
    await context.sleep(2000);
  },
};
