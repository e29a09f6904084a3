import { randomBytes, randomUUID } from 'node:crypto';
import { dialectOf, type Registry } from '@kafka-streamer/core';
import type { Knex } from 'knex';
import type { Prng } from './prng.js';
import { FaultItem, FaultItemB, MissingTopicItem, PoisonItem } from './schema.js';

/** Thrown inside a transaction to roll it back on purpose. */
class IntendedRollback extends Error {}

export interface WorkloadOptions {
  readonly knex: Knex;
  readonly registry: Registry;
  readonly prng: Prng;
  /** Concurrent transactions. Each owns its keys, so a key's commits are sequential and `seq` is their order. */
  readonly workers: number;
  readonly keysPerWorker: number;
  /** Share of transactions rolled back on purpose after streaming. */
  readonly rollbackRate: number;
  /** Upper bound of a pause between two transactions of a worker, in ms. */
  readonly maxPauseMs: number;
}

export interface WorkloadCounts {
  committed: number;
  rolledBack: number;
  /** Transactions whose commit failed or whose outcome is unknown (the database went away). */
  failed: number;
  rows: number;
}

/** Pad text of a seeded length: mostly small, a few tens of kilobytes now and then. */
function padText(prng: Prng): string {
  const length = prng.chance(0.03) ? prng.int(20_000, 120_000) : prng.int(8, 1500);
  return 'x'.repeat(length);
}

export async function insertRow(trx: Knex.Transaction, table: string, row: Record<string, unknown>): Promise<string> {
  const query = trx(table).insert(row);
  // MySQL has no RETURNING; Knex returns the insert id itself there.
  const [inserted] = dialectOf(trx) === 'mysql' ? await query : await query.returning('id');
  return String(typeof inserted === 'object' ? (inserted as { id: unknown }).id : inserted);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Concurrent application transactions: each inserts 1 to 3 rows of one key into
 * fault_items and streams them with streamInTx in the same transaction. The
 * table is the record of what committed; rolled-back transaction ids are kept here.
 */
export class Workload {
  readonly rolledBackTx = new Set<string>();
  readonly counts: WorkloadCounts = { committed: 0, rolledBack: 0, failed: 0, rows: 0 };
  private running = false;
  private workers: Promise<void>[] = [];

  constructor(private readonly options: WorkloadOptions) {}

  start(): void {
    this.running = true;
    for (let index = 0; index < this.options.workers; index += 1) {
      this.workers.push(this.runWorker(index, this.options.prng.fork()));
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
    this.workers = [];
  }

  private async runWorker(index: number, prng: Prng): Promise<void> {
    const nextSeq = new Map<string, number>();
    while (this.running) {
      const key = `w${index}-k${prng.int(0, this.options.keysPerWorker - 1)}`;
      const seq = nextSeq.get(key) ?? 1;
      const rows = prng.int(1, 3);
      const rollback = prng.chance(this.options.rollbackRate);
      const pads = Array.from({ length: rows }, () => padText(prng));
      const model = index % 2 === 0 ? FaultItem : FaultItemB;

      const outcome = await this.transaction(key, seq, pads, rollback, model);
      // A failed commit may have committed, so its sequence numbers are never reused.
      if (outcome !== 'rolled-back') nextSeq.set(key, seq + rows);
      await sleep(prng.int(0, this.options.maxPauseMs));
    }
  }

  private async transaction(key: string, seq: number, pads: string[], rollback: boolean, model: typeof FaultItem) {
    const tx = randomUUID();
    try {
      await this.options.knex.transaction(async (trx) => {
        const items: FaultItem[] = [];
        for (const [offset, pad] of pads.entries()) {
          const row = { tx, item_key: key, seq: seq + offset, pad };
          items.push(Object.assign(new model(), { ...row, id: await insertRow(trx, 'fault_items', row) }));
        }
        await this.options.registry.streamCreate(trx, items, { model });
        if (rollback) throw new IntendedRollback();
      });
      this.counts.committed += 1;
      this.counts.rows += pads.length;
      return 'committed';
    } catch (error) {
      if (error instanceof IntendedRollback) {
        this.rolledBackTx.add(tx);
        this.counts.rolledBack += 1;
        return 'rolled-back';
      }
      this.counts.failed += 1;
      await sleep(100);
      return 'failed';
    }
  }
}

/**
 * Streams items of new keys in one transaction that holds its snapshot (REPEATABLE
 * READ) for `holdMs` before it commits, while the workload commits rows with
 * higher outbox ids around it. Returns the transaction id.
 */
export async function longTransaction(knex: Knex, registry: Registry, name: string, rows: number, holdMs: number): Promise<string> {
  const tx = randomUUID();
  await knex.transaction(
    async (trx) => {
      await trx('fault_items').count({ n: '*' });
      const items: FaultItem[] = [];
      for (let seq = 1; seq <= rows; seq += 1) {
        const row = { tx, item_key: `long-${name}`, seq, pad: `long transaction ${name}` };
        items.push(Object.assign(new FaultItem(), { ...row, id: await insertRow(trx, 'fault_items', row) }));
      }
      await registry.streamCreate(trx, items, { model: FaultItem });
      await sleep(holdMs);
    },
    { isolationLevel: 'repeatable read' },
  );
  return tx;
}

export type PoisonKind = 'too-large' | 'missing-topic';

/** Streams one row the relay must park; returns its outbox message id. */
export async function insertPoison(knex: Knex, registry: Registry, kind: PoisonKind, name: string): Promise<string> {
  // Random bytes as base64 do not compress, so the message stays over the broker's 1 MiB limit.
  const pad = kind === 'too-large' ? randomBytes(900_000).toString('base64') : 'missing topic';
  const model = kind === 'too-large' ? PoisonItem : MissingTopicItem;
  return knex.transaction(async (trx) => {
    const row = { kind, item_key: `poison-${name}`, pad };
    const item = Object.assign(new model(), { ...row, id: await insertRow(trx, 'fault_poison', row) });
    const [messageId] = await registry.streamCreate(trx, item, { model });
    return messageId as string;
  });
}
