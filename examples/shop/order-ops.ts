import { formatCents } from './order-content.js';
import { insertReturningId, lockRows } from './sql.js';
import { pick, pickDistinct, type TxContext } from './workload-state.js';

const STATUSES = ['new', 'paid', 'packed', 'shipped', 'delivered'];

/** Locks a customer row so that its orders cannot change under this transaction; false when it is gone. */
async function lockCustomer(ctx: TxContext, customerId: number): Promise<boolean> {
  const row = await lockRows(ctx.trx('customers').select('id').where({ id: customerId }), ctx.dialect).first();
  return row !== undefined;
}

async function lockOrder(ctx: TxContext, orderId: number): Promise<{ version: number; note: string } | undefined> {
  const query = ctx.trx('orders').select('version', 'note').where({ id: orderId });
  return lockRows(query, ctx.dialect).first();
}

async function addLines(ctx: TxContext, orderId: number, count: number, exclude: ReadonlySet<number>): Promise<void> {
  const candidates = ctx.state.products.filter((product) => !exclude.has(product.id));
  for (const product of pickDistinct(ctx.random, candidates, count)) {
    // Held until commit: a product rename waits for it, so that its re-streams include this order.
    if (ctx.dialect !== 'sqlite') await ctx.trx('products').select('id').where({ id: product.id }).forShare();
    await ctx.trx('order_lines').insert({
      order_id: orderId,
      product_id: product.id,
      quantity: 1 + Math.floor(ctx.random() * 5),
      unit_price: formatCents(product.priceCents),
    });
  }
}

/** Creates an order of 1 to 4 lines and 0 to 2 tags for a customer; returns its id, or undefined. */
export async function createOrder(ctx: TxContext, customerId: number): Promise<number | undefined> {
  if (!(await lockCustomer(ctx, customerId))) return undefined;

  const note = ctx.scope.note();
  const row = { customer_id: customerId, status: 'new', version: 1, note, placed_at: new Date() };
  const id = await insertReturningId(ctx.trx, ctx.dialect, 'orders', row);
  await addLines(ctx, id, 1 + Math.floor(ctx.random() * 4), new Set());
  for (const tagId of pickDistinct(ctx.random, ctx.state.tags, Math.floor(ctx.random() * 3))) {
    await ctx.trx('order_tags').insert({ order_id: id, tag_id: tagId });
  }

  await ctx.streaming.create(ctx.trx, 'order', [id]);
  ctx.scope.expect({ topic: ctx.topics.orders, id, type: 'create', version: 1, note });
  ctx.afterCommit.push(() => ctx.state.orders.set(id, customerId));
  return id;
}

async function changeLines(ctx: TxContext, orderId: number): Promise<void> {
  const choice = ctx.random();
  if (choice < 0.3) {
    const lines = await ctx.trx('order_lines').select('product_id').where({ order_id: orderId });
    await addLines(ctx, orderId, 1, new Set(lines.map((line: { product_id: number }) => line.product_id)));
  } else if (choice < 0.5) {
    const line = await ctx.trx('order_lines').select('id').where({ order_id: orderId }).orderBy('id').first();
    if (line !== undefined) await ctx.trx('order_lines').where({ id: line.id }).update({ quantity: 1 + Math.floor(ctx.random() * 9) });
  } else if (choice < 0.6) {
    const tagId = pick(ctx.random, ctx.state.tags);
    const present = await ctx.trx('order_tags').where({ order_id: orderId, tag_id: tagId }).first();
    if (tagId !== undefined && present === undefined) await ctx.trx('order_tags').insert({ order_id: orderId, tag_id: tagId });
  }
}

/**
 * Moves an order to a new status and version, sometimes changing its lines or tags;
 * returns false when the order is gone.
 */
export async function updateOrder(ctx: TxContext, orderId: number, customerId: number): Promise<boolean> {
  if (!(await lockCustomer(ctx, customerId))) return false;
  const current = await lockOrder(ctx, orderId);
  if (current === undefined) return false;

  const version = current.version + 1;
  const note = ctx.scope.note();
  const status = pick(ctx.random, STATUSES) as string;
  await ctx.trx('orders').where({ id: orderId }).update({ version, note, status });
  await changeLines(ctx, orderId);

  await ctx.streaming.update(ctx.trx, 'order', [orderId]);
  ctx.scope.expect({ topic: ctx.topics.orders, id: orderId, type: 'update', version, note });
  return true;
}

/**
 * Deletes an order with its lines and tags. `byId` streams a delete that carries
 * only the id; otherwise the delete carries the order's last full state.
 */
export async function deleteOrder(ctx: TxContext, orderId: number, customerId: number, byId: boolean): Promise<boolean> {
  if (!(await lockCustomer(ctx, customerId))) return false;
  const current = await lockOrder(ctx, orderId);
  if (current === undefined) return false;

  if (!byId) await ctx.streaming.deleteState(ctx.trx, 'order', [orderId]);
  await ctx.trx('order_tags').where({ order_id: orderId }).delete();
  await ctx.trx('order_lines').where({ order_id: orderId }).delete();
  await ctx.trx('orders').where({ id: orderId }).delete();
  if (byId) await ctx.streaming.deleteIds(ctx.trx, 'order', [orderId]);

  const expected = byId ? { version: null, note: null } : { version: current.version, note: current.note };
  ctx.scope.expect({ topic: ctx.topics.orders, id: orderId, type: 'delete', ...expected });
  ctx.afterCommit.push(() => ctx.state.orders.delete(orderId));
  return true;
}

/**
 * Creates an order and updates it inside `squash`: one `create` with the updated
 * data must arrive, and the first version's note never.
 */
export async function createOrderSquashed(ctx: TxContext, customerId: number): Promise<void> {
  await ctx.streaming.squash(async () => {
    const id = await createOrder(ctx, customerId);
    if (id === undefined) return;
    await updateOrder(ctx, id, customerId);
    ctx.scope.squashPending(ctx.topics.orders, id);
  });
}
