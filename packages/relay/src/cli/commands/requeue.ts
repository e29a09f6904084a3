import { ConfigurationError } from '@kafka-streamer/core';
import type { LoadedConfig } from '../../config/cli-config.js';
import { type RequeueSelection, requeueParked } from '../../sql/requeue.js';
import { checkConnection, checkOutboxTable, checkSqliteFile, openDatabase, outboxOf } from '../database.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CliIo } from '../io.js';

export interface RequeueArguments {
  readonly id?: readonly string[];
  readonly all?: boolean;
}

// The largest id that PostgreSQL (bigint) and SQLite (INTEGER) can store. MySQL ids
// (BIGINT UNSIGNED) could go higher, but only after 2^63 inserts.
const MAX_OUTBOX_ID = 2n ** 63n - 1n;

/** Checks `--id` / `--all` and returns the rows to requeue; ids are normalized decimal text. */
export function requeueSelectionOf(args: RequeueArguments): RequeueSelection {
  const ids = (args.id ?? []).flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '');
  if (args.all === true && ids.length > 0) throw new ConfigurationError('requeue takes --id or --all, not both');
  if (args.all === true) return { all: true };
  if (ids.length === 0) throw new ConfigurationError('requeue needs --id <id...> or --all');

  const invalid = ids.filter((id) => !/^\d+$/.test(id) || BigInt(id) > MAX_OUTBOX_ID);
  if (invalid.length > 0) {
    throw new ConfigurationError(
      `invalid --id ${invalid.map((id) => JSON.stringify(id)).join(', ')}: expected outbox ids (positive integers up to ${MAX_OUTBOX_ID})`,
    );
  }
  const normalized = ids.map((id) => BigInt(id).toString());
  return { ids: [...new Set(normalized)] };
}

/** Moves parked rows back to pending and prints how many moved. */
export async function requeueCommand(loaded: LoadedConfig, args: RequeueArguments, io: CliIo): Promise<number> {
  const selection = requeueSelectionOf(args);
  const outbox = outboxOf(loaded.values);
  checkSqliteFile(loaded.values);
  const knex = openDatabase(loaded.values, 1);
  try {
    await checkConnection(knex);
    await checkOutboxTable(knex, outbox);

    const result = await requeueParked(knex, outbox, selection);
    io.stdout(`requeued ${result.requeued} parked row(s)\n`);
    if (result.notParked.length > 0) {
      io.stderr(`not parked, left unchanged: ${result.notParked.join(', ')} (published, never parked, or no such id)\n`);
    }
    return EXIT_OK;
  } finally {
    await knex.destroy();
  }
}
