import type { Knex } from 'knex';
import { NotATransactionError, TransactionCompletedError } from '../errors/streamer-errors.js';

/**
 * Rejects anything but an open Knex transaction, synchronously and before any
 * query: the root Knex instance would write outside the caller's transaction (and
 * with a pool of one connection, wait forever for the connection the caller holds).
 */
export function requireOpenTransaction(trx: Knex | Knex.Transaction, fn: string): asserts trx is Knex.Transaction {
  if (typeof trx !== 'function' || (trx as Knex.Transaction).isTransaction !== true) throw new NotATransactionError(fn);
  if ((trx as Knex.Transaction).isCompleted()) throw new TransactionCompletedError(fn);
}
