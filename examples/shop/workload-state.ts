import type { Knex } from 'knex';
import type { ShopDialect } from './database.js';
import type { LedgerScope } from './ledger.js';
import type { ShopTopics } from './topics.js';

/** Streaming calls of the workload, implemented on the core API by `streaming.ts`. */
export interface ShopStreaming {
  create(trx: Knex.Transaction, model: StreamedModel, ids: readonly number[]): Promise<void>;
  update(trx: Knex.Transaction, model: StreamedModel, ids: readonly number[]): Promise<void>;
  /** Streams `delete` with the full current state; call it before deleting the rows. */
  deleteState(trx: Knex.Transaction, model: StreamedModel, ids: readonly number[]): Promise<void>;
  /** Streams `delete` carrying only the id; call it after deleting the rows. */
  deleteIds(trx: Knex.Transaction, model: StreamedModel, ids: readonly number[]): Promise<void>;
  /** Streams every row as `refresh`, then `enumerate` messages listing all ids. */
  fullRefresh(knex: Knex, model: StreamedModel): Promise<void>;
  /** Holds back the messages of `fn` and merges them per object. */
  squash<R>(fn: () => Promise<R>): Promise<R>;
}

export type StreamedModel = 'customer' | 'product' | 'order';

/** A product as the workload remembers it: its price never changes. */
export interface KnownProduct {
  readonly id: number;
  readonly priceCents: number;
}

/**
 * Committed database state as the workload last saw it, used to pick rows to change.
 * It may be stale under concurrency, so each operation locks and re-reads its rows.
 */
export class ShopState {
  /** Customers that place orders: order id -> customer id lives in `orders`. */
  readonly buyers: number[] = [];
  /** Customers that never order, so that they can be deleted. */
  readonly prospects = new Set<number>();
  readonly products: KnownProduct[] = [];
  readonly tags: number[] = [];
  /** order id -> customer id */
  readonly orders = new Map<number, number>();
}

/** Everything an operation needs inside one transaction or savepoint. */
export interface TxContext {
  readonly trx: Knex.Transaction;
  readonly dialect: ShopDialect;
  readonly scope: LedgerScope;
  readonly state: ShopState;
  readonly topics: ShopTopics;
  readonly streaming: ShopStreaming;
  readonly random: () => number;
  readonly runId: string;
  /** Actions that update `state`, run only after the outermost transaction commits. */
  readonly afterCommit: (() => void)[];
}

/** A pseudo-random generator (mulberry32) so that a seed repeats a run's choices. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T | undefined {
  return items[Math.floor(random() * items.length)];
}

/** Up to `count` distinct items, in random order. */
export function pickDistinct<T>(random: () => number, items: readonly T[], count: number): T[] {
  const copy = [...items];
  const picked: T[] = [];
  while (picked.length < count && copy.length > 0) {
    picked.push(copy.splice(Math.floor(random() * copy.length), 1)[0] as T);
  }
  return picked;
}
