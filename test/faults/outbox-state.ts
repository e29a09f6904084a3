import type { Knex } from 'knex';

export const OUTBOX = 'kafka_streamer_outbox';

/** An outbox row as the checks read it. */
export interface OutboxEntry {
  readonly id: string;
  readonly messageId: string;
  readonly itemId: string | null;
  readonly parked: boolean;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly claimedBy: string | null;
}

/** A committed application row, from fault_items. */
export interface CommittedItem {
  readonly id: string;
  readonly tx: string;
  readonly key: string;
  readonly seq: number;
}

function itemIdOf(payload: string): string | null {
  const match = /"id":\s*"?(\d+)/.exec(payload);
  return match ? (match[1] as string) : null;
}

export async function readOutbox(knex: Knex): Promise<OutboxEntry[]> {
  const rows = await knex(OUTBOX)
    .select(
      knex.raw('CAST(id AS CHAR(20)) AS id'),
      'message_id',
      knex.raw('SUBSTR(payload, 1, 200) AS head'),
      'parked_at',
      'attempts',
      'last_error',
      'claimed_by',
    )
    .orderBy('id');
  return rows.map((row) => ({
    id: String(row.id).trim(),
    messageId: String(row.message_id),
    itemId: itemIdOf(String(row.head)),
    parked: row.parked_at !== null,
    attempts: Number(row.attempts),
    lastError: row.last_error === null ? null : String(row.last_error),
    claimedBy: row.claimed_by === null ? null : String(row.claimed_by),
  }));
}

export async function readCommitted(knex: Knex): Promise<CommittedItem[]> {
  const rows = await knex('fault_items').select(knex.raw('CAST(id AS CHAR(20)) AS id'), 'tx', 'item_key', 'seq').orderBy('id');
  return rows.map((row) => ({ id: String(row.id).trim(), tx: String(row.tx), key: String(row.item_key), seq: Number(row.seq) }));
}

/** Rows not parked: published rows are deleted, so these are still waiting. */
export async function pendingCount(knex: Knex): Promise<number> {
  const [row] = await knex(OUTBOX).whereNull('parked_at').count<{ n: number | string }[]>({ n: '*' });
  return Number(row?.n ?? 0);
}

/** Waits until no row is pending, polling every 200 ms; returns false after `timeoutMs`. */
export async function waitForDrain(knex: Knex, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await pendingCount(knex)) === 0) return true;
    } catch {
      // The database may still be coming back after a restart.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}
