import { readCommitted, readOutbox } from '../outbox-state.js';
import { readTopics } from '../read-topics.js';
import type { ScenarioContext, ScenarioSpec } from '../scenario.js';

type Variant = 'latency' | 'unreachable';

/** Polls every 50 ms until the relay holds claimed rows; returns how many, or 0 after `timeoutMs`. */
async function waitForClaimedRows(context: ScenarioContext, relayId: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [row] = await context.knex('kafka_streamer_outbox').where('claimed_by', relayId).count<{ n: number | string }[]>({ n: '*' });
    if (Number(row?.n ?? 0) > 0) return Number(row?.n);
    await context.sleep(50);
  }
  return 0;
}

/** Every committed row must be in the outbox or on a topic; returns the item ids that are in neither. */
async function missingRows(context: ScenarioContext, topics: readonly string[]): Promise<string[]> {
  const committed = await readCommitted(context.knex);
  const outbox = new Set((await readOutbox(context.knex)).map((row) => row.itemId));
  const seen = new Set((await readTopics(context.broker.kafka('ks-faults-sigterm-check'), topics)).map((message) => message.itemId));
  return committed.filter((item) => !outbox.has(item.id) && !seen.has(item.id)).map((item) => item.id);
}

async function round(context: ScenarioContext, variant: Variant, topics: readonly string[]): Promise<void> {
  const { fleet, broker, faults, settings } = context;
  const relay = fleet.running()[0] ?? fleet.start();
  // The relay must be connected and publishing before the fault, or SIGTERM would only interrupt its start-up.
  if ((await waitForClaimedRows(context, relay.relayId, 30_000)) === 0) context.violations.push(`SIGTERM ${variant}: relay ${relay.relayId} claimed no rows within 30 s of its start`);

  if (variant === 'latency') broker.proxy.latencyMs = 2500;
  else broker.proxy.mode = 'half-open';
  await context.sleep(1000);
  const claimed = await waitForClaimedRows(context, relay.relayId, 15_000);

  const record = faults.add(`SIGTERM with ${variant === 'latency' ? '2500 ms proxy latency' : 'the broker unreachable'}`, `${claimed} rows claimed`);
  await faults.snapshot(record, relay.relayId);
  const sentAt = Date.now();
  relay.signal('SIGTERM');
  const exit = await relay.exited;
  const elapsedMs = exit.at - sentAt;
  record.detail += `, exit ${exit.code ?? exit.signal} after ${elapsedMs} ms`;
  const figure = `max SIGTERM exit ms (${variant})`;
  context.figures.set(figure, Math.max(context.figures.get(figure) ?? 0, elapsedMs));

  if (claimed === 0) context.violations.push(`SIGTERM ${variant}: the relay claimed no rows within 15 s, so no batch was in flight`);
  if (exit.code !== 0) context.violations.push(`SIGTERM ${variant}: relay ${relay.relayId} exited with ${exit.code ?? exit.signal}, expected 0`);
  if (elapsedMs > settings.shutdownGraceMs + 1000) {
    context.violations.push(`SIGTERM ${variant}: relay ${relay.relayId} took ${elapsedMs} ms to exit, over its ${settings.shutdownGraceMs} ms grace period`);
  }

  broker.proxy.heal();
  const missing = await missingRows(context, topics);
  if (missing.length > 0) context.violations.push(`SIGTERM ${variant}: ${missing.length} committed rows neither in the outbox nor on a topic (item ids ${missing.slice(0, 10).join(', ')})`);
  fleet.start();
}

/** SIGTERM arrives while a batch is slow (proxy latency) or cannot reach the broker at all. */
export const sigterm: ScenarioSpec = {
  name: 'sigterm',
  relays: 1,
  settings: { shutdownGraceMs: 6000, requestTimeoutMs: 10_000 },
  async run(context) {
    const topics = [context.topics.a, context.topics.b];
    for (let index = 0; index < context.size.sigtermRounds; index += 1) {
      await round(context, 'latency', topics);
      await round(context, 'unreachable', topics);
    }
    await context.sleep(1000);
  },
};
