import { insertReturningId, lockRows } from './sql.js';
import type { TxContext } from './workload-state.js';

/** Creates a customer; a prospect never places orders, so that it can be deleted later. */
export async function createCustomer(ctx: TxContext, prospect: boolean): Promise<number> {
  const note = ctx.scope.note();
  const row = {
    name: `Customer ${note}`,
    email: `${note}@example.com`,
    version: 1,
    note,
    created_at: new Date(),
  };
  const id = await insertReturningId(ctx.trx, ctx.dialect, 'customers', row);

  await ctx.streaming.create(ctx.trx, 'customer', [id]);
  ctx.scope.expect({ topic: ctx.topics.customers, id, type: 'create', version: 1, note });
  ctx.afterCommit.push(() => (prospect ? ctx.state.prospects.add(id) : ctx.state.buyers.push(id)));
  return id;
}

/** Deletes a prospect (a customer without orders) and streams a delete by id. */
export async function deleteProspect(ctx: TxContext, customerId: number): Promise<boolean> {
  const row = await lockRows(ctx.trx('customers').select('id').where({ id: customerId }), ctx.dialect).first();
  if (row === undefined) return false;

  await ctx.trx('customers').where({ id: customerId }).delete();
  await ctx.streaming.deleteIds(ctx.trx, 'customer', [customerId]);
  ctx.scope.expect({ topic: ctx.topics.customers, id: customerId, type: 'delete', version: null, note: null });
  ctx.afterCommit.push(() => ctx.state.prospects.delete(customerId));
  return true;
}

/**
 * Renames a customer. Every order of the customer is re-streamed with the new
 * customer embedded (handleRelated). The customer row lock keeps its set of orders
 * fixed until commit, because order changes take it first. The orders are locked
 * too, so that a concurrent product rename that re-streams one of them waits for
 * this commit. Without that lock, the two transactions could write their outbox rows
 * in the opposite order of their commits, and the order's last message would carry
 * the old customer.
 */
export async function updateCustomer(ctx: TxContext, customerId: number): Promise<boolean> {
  const query = ctx.trx('customers').select('version').where({ id: customerId });
  const current = await lockRows(query, ctx.dialect).first();
  if (current === undefined) return false;
  const ordersQuery = ctx.trx('orders').select('id', 'version', 'note').where({ customer_id: customerId }).orderBy('id');
  const orders = (await lockRows(ordersQuery, ctx.dialect)) as { id: number; version: number; note: string }[];

  const version = current.version + 1;
  const note = ctx.scope.note();
  await ctx.trx('customers').where({ id: customerId }).update({ version, note, name: `Customer ${note}` });
  await ctx.streaming.update(ctx.trx, 'customer', [customerId]);
  ctx.scope.expect({ topic: ctx.topics.customers, id: customerId, type: 'update', version, note });

  for (const order of orders) {
    ctx.scope.expect({
      topic: ctx.topics.orders,
      id: order.id,
      type: 'update',
      version: order.version,
      note: order.note,
      related: { field: 'customer', id: customerId, version },
    });
  }
  return true;
}

/**
 * Renames a product. The product row is locked first: order operations take a
 * share lock on a product before adding a line with it, so from then on no order
 * gains this product. Then the orders that contain it are locked, so that none of
 * them changes before the re-streams (handleRelated) are written.
 */
export async function updateProduct(ctx: TxContext, productId: number): Promise<boolean> {
  const current = await lockRows(ctx.trx('products').select('version').where({ id: productId }), ctx.dialect).first();
  if (current === undefined) return false;
  const containing = ctx
    .trx('orders')
    .join('order_lines', 'order_lines.order_id', 'orders.id')
    .where('order_lines.product_id', productId)
    .select('orders.id', 'orders.version', 'orders.note')
    .orderBy('orders.id');
  const orders = (await lockRows(containing, ctx.dialect)) as { id: number; version: number; note: string }[];

  const version = current.version + 1;
  const note = ctx.scope.note();
  await ctx.trx('products').where({ id: productId }).update({ version, note, name: `Product ${note}` });
  await ctx.streaming.update(ctx.trx, 'product', [productId]);
  ctx.scope.expect({ topic: ctx.topics.products, id: productId, type: 'update', version, note });

  for (const order of orders) {
    ctx.scope.expect({
      topic: ctx.topics.orders,
      id: order.id,
      type: 'update',
      version: order.version,
      note: order.note,
      related: { field: 'products', id: productId, version },
    });
  }
  return true;
}
