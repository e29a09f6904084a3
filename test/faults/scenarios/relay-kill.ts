import type { RelayProcess } from '../relays.js';
import type { ScenarioContext, ScenarioSpec } from '../scenario.js';

/** Polls every 10 ms, up to `timeoutMs`, until the relay holds claimed rows. */
async function waitForRowsInHand(context: ScenarioContext, relay: RelayProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && relay.alive) {
    const [row] = await context.knex('kafka_streamer_outbox').where('claimed_by', relay.relayId).count<{ n: number | string }[]>({ n: '*' });
    if (Number(row?.n ?? 0) > 0) return;
    await context.sleep(10);
  }
}

/**
 * Kills one running relay at a seeded moment and starts a replacement after a seeded
 * pause, `kills` times; with `awaitTakeover`, each kill waits until the rows of the
 * previous one were taken over. Three kills in four wait, at most 2 s, until the relay holds
 * claimed rows, so that most kills land with a batch in hand.
 */
export async function killAndReplace(context: ScenarioContext, kills: number, gapMs: [number, number], awaitTakeover: boolean): Promise<void> {
  const { prng, fleet } = context;
  for (let index = 0; index < kills; index += 1) {
    // With one relay, killing its replacement before it took the rows over would add leases up.
    if (awaitTakeover) await context.takeoversDone();
    await context.sleep(prng.int(gapMs[0], gapMs[1]));
    const running = fleet.running();
    if (running.length === 0) {
      fleet.start();
      continue;
    }
    const victim = prng.pick(running);
    if (prng.chance(0.75)) await waitForRowsInHand(context, victim, 2000);
    await context.killRelay(victim);
    await context.sleep(prng.int(0, 1500));
    fleet.start();
  }
}

/** One relay, killed with SIGKILL at random moments and restarted each time. */
export const relayKill: ScenarioSpec = {
  name: 'relay-kill',
  relays: 1,
  checkTakeover: true,
  settings: { takeoverMs: 2000 },
  async run(context) {
    // A broker a few tens of ms away, so that batches stay in flight long enough to be killed in.
    context.broker.proxy.latencyMs = context.prng.int(20, 60);
    await killAndReplace(context, context.size.kills, [300, 2000], true);
    await context.sleep(1000);
  },
};
