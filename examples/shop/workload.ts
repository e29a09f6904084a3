import { withContext } from '@kafka-streamer/core';
import type { Knex } from 'knex';
import type { ShopDialect } from './database.js';
import type { Ledger } from './ledger.js';
import { createCustomer } from './party-ops.js';
import { insertReturningId, isRetryableConflict } from './sql.js';
import type { ShopTopics } from './topics.js';
import { IntendedRollback, pickKind, runKind } from './transactions.js';
import { seededRandom, ShopState, type ShopStreaming, type TxContext } from './workload-state.js';

export interface WorkloadOptions {
  readonly knex: Knex;
  readonly dialect: ShopDialect;
  readonly topics: ShopTopics;
  readonly streaming: ShopStreaming;
  readonly ledger: Ledger;
  readonly runId: string;
  /** Committed changes to make (re-streams of related objects not counted). */
  readonly changes: number;
  /** Transactions running at once. */
  readonly concurrency: number;
  /** Order changes per order transaction. */
  readonly transactionSize: number;
  readonly seed: number;
}

/** Counters of a running workload, for progress lines. */
export interface WorkloadProgress {
  transactions: number;
  rolledBack: number;
  retries: number;
}

const MAX_ATTEMPTS = 8;

/**
 * Returns the isolation level of workload transactions. MySQL's default REPEATABLE
 * READ makes plain reads see the snapshot of the transaction's first read. A row
 * read back for a message after a later `FOR UPDATE` could then be older than the
 * locked row, and a delete would carry a stale state. READ COMMITTED reads the
 * latest committed rows, as PostgreSQL's default does. SQLite runs one writer at a
 * time and needs no setting.
 */
function isolationOf(dialect: ShopDialect): Knex.TransactionConfig {
  return dialect === 'mysql' ? { isolationLevel: 'read committed' } : {};
}

/** Runs `body` in a transaction, recording it in the ledger; retries lock conflicts. */
async function runTransaction(
  options: WorkloadOptions,
  state: ShopState,
  random: () => number,
  progress: WorkloadProgress,
  body: (ctx: TxContext) => Promise<void>,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const scope = options.ledger.begin();
    const afterCommit: (() => void)[] = [];
    try {
      await options.knex.transaction(async (trx) => {
        const { dialect, topics, streaming, runId } = options;
        await body({ trx, dialect, scope, state, topics, streaming, random, runId, afterCommit });
      }, isolationOf(options.dialect));
      scope.commit();
      for (const apply of afterCommit) apply();
      progress.transactions += 1;
      return;
    } catch (error) {
      scope.rollback();
      if (error instanceof IntendedRollback) {
        progress.rolledBack += 1;
        return;
      }
      if (!isRetryableConflict(error) || attempt >= MAX_ATTEMPTS) throw error;
      progress.retries += 1;
    }
  }
}

const PRODUCTS = 40;
const BUYERS = 60;
const TAGS = ['gift', 'express', 'fragile', 'bulk', 'priority', 'b2b', 'return', 'promo'];

/** Creates the products, tags and first customers, streamed like any other change. */
async function seed(options: WorkloadOptions, state: ShopState, progress: WorkloadProgress): Promise<void> {
  const random = seededRandom(options.seed);
  await runTransaction(options, state, random, progress, async (ctx) => {
    const ids: number[] = [];
    for (let i = 0; i < PRODUCTS; i++) {
      const note = ctx.scope.note();
      const priceCents = 100 + Math.floor(random() * 9900);
      const row = { sku: `SKU-${i}`, name: `Product ${note}`, price: (priceCents / 100).toFixed(2), version: 1, note };
      const id = await insertReturningId(ctx.trx, ctx.dialect, 'products', row);
      ids.push(id);
      ctx.scope.expect({ topic: ctx.topics.products, id, type: 'create', version: 1, note });
      ctx.afterCommit.push(() => state.products.push({ id, priceCents }));
    }
    // One call for all: the products are streamed as one batch.
    await ctx.streaming.create(ctx.trx, 'product', ids);

    for (const name of TAGS) {
      const id = await insertReturningId(ctx.trx, ctx.dialect, 'tags', { name });
      ctx.afterCommit.push(() => state.tags.push(id));
    }
  });

  await runTransaction(options, state, random, progress, async (ctx) => {
    for (let i = 0; i < BUYERS; i++) await createCustomer(ctx, false);
  });
}

/**
 * Runs application transactions from `concurrency` workers until `changes` changes
 * have committed. Every committed change is recorded in the ledger with the message
 * it must produce; rolled-back work records notes that must never arrive.
 */
export async function runWorkload(options: WorkloadOptions, progress: WorkloadProgress): Promise<ShopState> {
  const state = new ShopState();
  await seed(options, state, progress);

  // Each worker stands for one user: its messages carry `_user_id`.
  const worker = (index: number) =>
    withContext({ userId: index + 1 }, async () => {
      const random = seededRandom(options.seed + index + 1);
      while (options.ledger.committedChanges < options.changes) {
        const kind = pickKind(random);
        await runTransaction(options, state, random, progress, (ctx) => runKind(kind, ctx, options.transactionSize));
        // better-sqlite3 returns results synchronously, so without this the workers
        // would starve timers: the relay's poll loop and the progress line.
        await new Promise((resolve) => setImmediate(resolve));
      }
    });
  await Promise.all(Array.from({ length: options.concurrency }, (_, i) => worker(i)));
  return state;
}

/**
 * Streams every order as `refresh` followed by `enumerate`, once no transaction is
 * running, and records the messages it must produce.
 */
export async function refreshOrders(options: WorkloadOptions): Promise<number> {
  await options.streaming.fullRefresh(options.knex, 'order');

  const orders = (await options.knex('orders').select('id', 'version', 'note').orderBy('id')) as {
    id: number;
    version: number;
    note: string;
  }[];
  const scope = options.ledger.begin();
  for (const order of orders) {
    scope.expect({ topic: options.topics.orders, id: order.id, type: 'refresh', version: order.version, note: order.note });
  }
  scope.commit();
  options.ledger.expectRefresh({ topic: options.topics.orders, ids: orders.map((order) => order.id) });
  return orders.length;
}
