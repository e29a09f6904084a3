import type { Knex } from 'knex';
import { ConfigurationError } from '../errors/kafka-streamer-error.js';
import type { ModelClass, Row } from '../model/model.js';
import { dialectOf } from '../outbox/dialect.js';
import { insertOutboxMessages } from '../outbox/insert.js';
import type { OutboxTable } from '../outbox/table.js';
import type { Registry } from '../registry/registry.js';
import type { StreamPlan } from '../streamer/plan.js';
import { columnsOf, selectRows } from '../streamer/select-rows.js';
import { buildObjectMessages } from './build-object-messages.js';
import { resolveCall, type StreamOptions } from './call-options.js';
import type { CallSettings } from './envelope.js';
import { buildEnumerateMessages, buildEosMessage } from './special-messages.js';
import { requireOpenTransaction } from './transaction-guard.js';

/** Options of fullRefresh. */
export interface FullRefreshOptions extends Pick<StreamOptions, 'outbox' | 'headers' | 'compact'> {
  /** How to end each model's refresh; overrides the streamer's `refreshFinalizeType`. */
  finalize?: 'enumerate' | 'eos';
}

/** The counts of what fullRefresh wrote for one model. */
export interface RefreshSummary {
  readonly model: string;
  readonly topic: string;
  /** Rows streamed as `refresh`. */
  readonly objects: number;
  /** Messages written, refresh and final messages together. */
  readonly messages: number;
}

/**
 * Streams every row of one model, or of every registered model, as `refresh`
 * messages sharing one `_time`, then ends each model with `enumerate` messages or
 * one `eos`. Rows are read in batches of `batchSize`, ordered by id, from one
 * snapshot: a REPEATABLE READ transaction on PostgreSQL and MySQL, one transaction
 * on SQLite. The messages are written in that same transaction, one INSERT per
 * batch, so a refresh is in the outbox entirely or not at all. The price is one
 * large transaction for a large table. Pass a transaction to run inside it
 * instead (its isolation level is then the caller's choice).
 */
export async function fullRefresh(
  registry: Registry,
  knex: Knex | Knex.Transaction,
  model?: ModelClass,
  options: FullRefreshOptions = {},
): Promise<RefreshSummary[]> {
  const plans = model === undefined ? registry.models().map((each) => registry.planOf(each)) : [registry.planOf(model)];
  if (options.finalize !== undefined && options.finalize !== 'enumerate' && options.finalize !== 'eos') {
    throw new ConfigurationError(`invalid finalize ${JSON.stringify(options.finalize)}: use 'enumerate' or 'eos'`);
  }
  const { settings, outbox } = resolveCall(options, 'refresh', ['finalize']);

  const run = async (trx: Knex.Transaction) => {
    const summaries: RefreshSummary[] = [];
    for (const plan of plans) summaries.push(await refreshModel(trx, plan, settings, outbox, options.finalize));
    return summaries;
  };

  if ((knex as Knex.Transaction).isTransaction === true) {
    requireOpenTransaction(knex, 'fullRefresh');
    return run(knex);
  }
  const isolation = dialectOf(knex) === 'sqlite' ? {} : { isolationLevel: 'repeatable read' as const };
  return knex.transaction(run, isolation);
}

async function refreshModel(
  trx: Knex.Transaction,
  plan: StreamPlan<object>,
  settings: CallSettings,
  outbox: OutboxTable,
  finalize: 'enumerate' | 'eos' | undefined,
): Promise<RefreshSummary> {
  const { streamer, idField } = plan;
  const ids: unknown[] = [];
  let written = 0;
  let last: unknown;
  const columns = await columnsOf(trx, plan.table);

  for (;;) {
    const query = selectRows(trx, plan.table, columns).orderBy(idField).limit(streamer.batchSize);
    if (last !== undefined) query.where(idField, '>', last as string);
    const rows: Row[] = await query;
    if (rows.length === 0) break;

    const messages = await buildObjectMessages(trx, plan, rows, settings, false);
    await insertOutboxMessages(trx, outbox, messages);
    written += messages.length;
    for (const row of rows) ids.push(row[idField]);
    last = rows[rows.length - 1]?.[idField];
    if (rows.length < streamer.batchSize) break;
  }

  const final =
    (finalize ?? streamer.refreshFinalizeType) === 'eos'
      ? [buildEosMessage(plan, settings)]
      : buildEnumerateMessages(plan, columns, ids, settings);
  await insertOutboxMessages(trx, outbox, final);

  return { model: plan.model.name, topic: streamer.topic as string, objects: ids.length, messages: written + final.length };
}
