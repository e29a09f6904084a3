import { qualifiedName } from '@kafka-streamer/core';
import type { LoadedConfig } from '../../config/cli-config.js';
import { queryOutboxCounts, queryParkedRows } from '../../sql/status.js';
import { checkConnection, checkOutboxTable, checkSqliteFile, openDatabase, outboxOf } from '../database.js';
import { EXIT_OK } from '../exit-codes.js';
import { formatStatusJson, formatStatusTable } from '../format-status.js';
import type { CliIo } from '../io.js';

export interface StatusArguments {
  readonly json?: boolean;
  /** Parked rows to list. */
  readonly limit: number;
}

/** Prints the outbox counts, the oldest pending age and the parked rows. */
export async function statusCommand(loaded: LoadedConfig, args: StatusArguments, io: CliIo): Promise<number> {
  const outbox = outboxOf(loaded.values);
  checkSqliteFile(loaded.values);
  const knex = openDatabase(loaded.values, 1);
  try {
    await checkConnection(knex);
    await checkOutboxTable(knex, outbox);

    const counts = await queryOutboxCounts(knex, outbox);
    const parkedRows = counts.parked === 0 ? [] : await queryParkedRows(knex, outbox, args.limit);
    const report = { outbox: qualifiedName(outbox), counts, parkedRows };
    io.stdout(args.json === true ? formatStatusJson(report) : formatStatusTable(report));
    return EXIT_OK;
  } finally {
    await knex.destroy();
  }
}
