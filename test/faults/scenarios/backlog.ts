import { type FaultItem, FaultItem as Item } from '../schema.js';
import type { ScenarioContext, ScenarioSpec } from '../scenario.js';
import { insertRow } from '../workload.js';

/** Rows of the backlog, streamed in transactions of 500 over 8 keys. */
const BACKLOG_ROWS = 12_000;
const KEYS = 8;
/** Drain rate in rows per second below which the relay counts as unable to catch up. */
const MIN_ROWS_PER_SECOND = 200;

async function streamBacklog(context: ScenarioContext): Promise<void> {
  const perKey = new Map<string, number>();
  for (let start = 0; start < BACKLOG_ROWS; start += 500) {
    await context.knex.transaction(async (trx) => {
      const items: FaultItem[] = [];
      for (let index = start; index < start + 500; index += 1) {
        const key = `backlog-${index % KEYS}`;
        const seq = (perKey.get(key) ?? 0) + 1;
        perKey.set(key, seq);
        const row = { tx: `backlog-${start}`, item_key: key, seq, pad: 'backlog' };
        items.push(Object.assign(new Item(), { ...row, id: await insertRow(trx, 'fault_items', row) }));
      }
      await context.registry.streamCreate(trx, items, { model: Item });
    });
  }
}

/**
 * A backlog of 12,000 rows on 8 keys, left while no relay runs (an outage of the
 * relays), then one relay starts. It must drain at least 200 rows per second:
 * the claim query has to stay cheap however many rows wait behind the oldest.
 */
export const backlog: ScenarioSpec = {
  name: 'backlog',
  relays: 0,
  async run(context) {
    await context.workload.stop();
    await streamBacklog(context);

    const startedAt = Date.now();
    context.fleet.start();
    const limitMs = Math.ceil((BACKLOG_ROWS / MIN_ROWS_PER_SECOND) * 1000) + 5000;
    for (;;) {
      const [row] = await context.knex('kafka_streamer_outbox').whereNull('parked_at').count<{ n: number | string }[]>({ n: '*' });
      if (Number(row?.n ?? 0) === 0) break;
      if (Date.now() - startedAt > limitMs) {
        context.violations.push(`backlog: ${row?.n} of ${BACKLOG_ROWS} rows still pending ${limitMs} ms after the relay started (expected at least ${MIN_ROWS_PER_SECOND} rows/s)`);
        break;
      }
      await context.sleep(250);
    }
    context.figures.set('backlog drain ms', Date.now() - startedAt);
  },
};
