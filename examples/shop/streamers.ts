import { type Batch, Streamer } from '@kafka-streamer/core';
import { Customer, Order, Product } from './models.js';
import { formatCents, toCents } from './order-content.js';
import type { ShopTopics } from './topics.js';

/** Added to every message, so that consumers can tell producers and schema versions apart. */
export const STATIC_FIELDS = { schema_version: 1, service: 'shop' } as const;

/** A decimal column value in whole cents: drivers return strings, SQLite returns numbers. */
function cents(value: unknown): number {
  return typeof value === 'number' ? Math.round(value * 100) : toCents(String(value));
}

/**
 * The order total from its lines. The lines of the whole batch were loaded once,
 * in one query, because `lines` is in prefetchRelated; `batch.related` only looks
 * them up.
 */
export function orderTotal(order: Order, batch: Batch<Order>): string {
  const lines = batch.related(order, 'lines') as readonly Record<string, unknown>[];
  const total = lines.reduce((sum, line) => sum + Number(line.quantity) * cents(line.unit_price), 0);
  return formatCents(total);
}

export class CustomerStreamer extends Streamer<Customer> {
  override staticFields = STATIC_FIELDS;
  // Rows are read back by id in one query per batch, so callers pass `{ id }`.
  override reload = true;
}

export class ProductStreamer extends Streamer<Product> {
  override staticFields = STATIC_FIELDS;
  override reload = true;
}

/**
 * An order with its customer (without the email), lines, tags, products and total.
 * A changed customer or product re-streams every order that embeds it.
 */
export class OrderStreamer extends Streamer<Order> {
  override include = ['customer', 'lines', 'tags', 'products', 'total'];
  override exclude = ['customer.email'];
  override selectRelated = ['customer'];
  override prefetchRelated = ['lines', 'tags', 'products'];
  override handleRelated = ['customer', 'products'];
  override staticFields = STATIC_FIELDS;
  override computed = { total: orderTotal };
  override reload = true;
}

/** The model, streamer class and topic of each streamed model of one run. */
export function shopStreamers(topics: ShopTopics) {
  return [
    { model: Customer, streamer: CustomerStreamer, topic: topics.customers },
    { model: Product, streamer: ProductStreamer, topic: topics.products },
    { model: Order, streamer: OrderStreamer, topic: topics.orders },
  ] as const;
}
