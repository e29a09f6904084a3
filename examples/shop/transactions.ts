import { createOrder, createOrderSquashed, deleteOrder, updateOrder } from './order-ops.js';
import { createCustomer, deleteProspect, updateCustomer, updateProduct } from './party-ops.js';
import { pick, type TxContext } from './workload-state.js';

/** Thrown on purpose inside a transaction or savepoint to roll it back. */
export class IntendedRollback extends Error {
  constructor() {
    super('rolled back on purpose by the workload');
  }
}

function randomOrder(ctx: TxContext): [number, number] | undefined {
  const ids = [...ctx.state.orders.keys()];
  const id = pick(ctx.random, ids);
  return id === undefined ? undefined : [id, ctx.state.orders.get(id) as number];
}

/** Makes one create, update or delete of an order, chosen at random. */
async function orderChange(ctx: TxContext): Promise<void> {
  const choice = ctx.random();
  const order = randomOrder(ctx);
  if (choice < 0.35 || order === undefined || ctx.state.orders.size < 20) {
    const customerId = pick(ctx.random, ctx.state.buyers);
    if (customerId !== undefined) await createOrder(ctx, customerId);
    return;
  }
  if (choice < 0.88) {
    await updateOrder(ctx, order[0], order[1]);
    return;
  }
  await deleteOrder(ctx, order[0], order[1], choice < 0.94);
}

/** `size` order changes in one transaction. */
export async function orderChanges(ctx: TxContext, size: number): Promise<void> {
  for (let i = 0; i < size; i++) await orderChange(ctx);
}

/**
 * Updates an order inside a savepoint that is rolled back, then updates it for real.
 * Then creates an order inside a savepoint that is released.
 */
export async function savepoints(ctx: TxContext): Promise<void> {
  const order = randomOrder(ctx);
  if (order !== undefined) {
    const scope = ctx.scope.savepoint();
    try {
      await ctx.trx.transaction(async (savepoint) => {
        await updateOrder({ ...ctx, trx: savepoint, scope }, order[0], order[1]);
        throw new IntendedRollback();
      });
    } catch (error) {
      if (!(error instanceof IntendedRollback)) throw error;
      scope.rollback();
    }
    await updateOrder(ctx, order[0], order[1]);
  }

  const customerId = pick(ctx.random, ctx.state.buyers);
  if (customerId === undefined) return;
  const scope = ctx.scope.savepoint();
  await ctx.trx.transaction(async (savepoint) => {
    await createOrder({ ...ctx, trx: savepoint, scope }, customerId);
  });
  scope.commit();
}

export async function squashedOrder(ctx: TxContext): Promise<void> {
  const customerId = pick(ctx.random, ctx.state.buyers);
  if (customerId !== undefined) await createOrderSquashed(ctx, customerId);
}

export async function customerChange(ctx: TxContext): Promise<void> {
  const choice = ctx.random();
  const prospect = pick(ctx.random, [...ctx.state.prospects]);
  if (choice < 0.3) {
    await createCustomer(ctx, true);
  } else if (choice < 0.5 && prospect !== undefined) {
    await deleteProspect(ctx, prospect);
  } else {
    const customerId = pick(ctx.random, ctx.state.buyers);
    if (customerId !== undefined) await updateCustomer(ctx, customerId);
  }
}

export async function productChange(ctx: TxContext): Promise<void> {
  const product = pick(ctx.random, ctx.state.products);
  if (product !== undefined) await updateProduct(ctx, product.id);
}

/** Some order changes, then a throw: none of it may arrive. */
export async function rolledBack(ctx: TxContext, size: number): Promise<void> {
  await orderChanges(ctx, size);
  if (ctx.random() < 0.5) await customerChange(ctx);
  throw new IntendedRollback();
}

export type TransactionKind = 'orders' | 'savepoints' | 'squash' | 'customer' | 'product' | 'rollback';

const WEIGHTS: readonly [TransactionKind, number][] = [
  ['orders', 0.66],
  ['savepoints', 0.08],
  ['squash', 0.05],
  ['customer', 0.1],
  // A product rename re-streams every order that contains the product: hundreds
  // of messages once the shop has grown.
  ['product', 0.02],
  ['rollback', 0.09],
];

export function pickKind(random: () => number): TransactionKind {
  let roll = random();
  for (const [kind, weight] of WEIGHTS) {
    roll -= weight;
    if (roll < 0) return kind;
  }
  return 'orders';
}

/** Runs the body of one transaction of the given kind. */
export function runKind(kind: TransactionKind, ctx: TxContext, size: number): Promise<void> {
  switch (kind) {
    case 'orders':
      return orderChanges(ctx, size);
    case 'savepoints':
      return savepoints(ctx);
    case 'squash':
      return squashedOrder(ctx);
    case 'customer':
      return customerChange(ctx);
    case 'product':
      return productChange(ctx);
    case 'rollback':
      return rolledBack(ctx, size);
  }
}
