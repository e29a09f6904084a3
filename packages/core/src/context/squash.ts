import { TransactionCompletedError } from '../errors/streamer-errors.js';
import { insertOutboxMessages } from '../outbox/insert.js';
import { currentContext, runInContext } from './context.js';
import { SquashBuffer } from './squash-buffer.js';

/**
 * Runs `fn` with every message it streams held back and merged per object (create
 * then update gives one create with the last data, create then delete gives
 * nothing, otherwise the last message wins). When `fn` resolves, the merged
 * messages are inserted through the transaction of the calls that streamed them,
 * before `squash` resolves: call it inside `knex.transaction(async (trx) => ...)`.
 * When `fn` throws, nothing is written. A nested squash hands its messages to the
 * outer one. Python: `squash()`.
 */
export async function squash<R>(fn: () => R | Promise<R>): Promise<R> {
  const outer = currentContext();
  const buffer = new SquashBuffer();
  const result = await runInContext({ ...outer, squash: buffer }, fn);

  if (outer.squash !== undefined) {
    outer.squash.absorb(buffer);
    return result;
  }

  const groups = buffer.drain();
  for (const { target } of groups) {
    if (target.trx.isCompleted()) throw new TransactionCompletedError('squash');
  }
  for (const { target, messages } of groups) {
    await insertOutboxMessages(target.trx, target.outbox, messages);
  }
  return result;
}
