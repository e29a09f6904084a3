import { migrateOutbox, qualifiedName } from '@kafka-streamer/core';
import type { LoadedConfig } from '../../config/cli-config.js';
import { checkConnection, openDatabase, outboxOf } from '../database.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CliIo } from '../io.js';

/** Applies the outbox migrations that the database lacks and prints their names. */
export async function migrateCommand(loaded: LoadedConfig, io: CliIo): Promise<number> {
  const outbox = outboxOf(loaded.values);
  const knex = openDatabase(loaded.values, 1);
  try {
    await checkConnection(knex);
    const applied = await migrateOutbox(knex, outbox);

    if (applied.length === 0) {
      io.stdout(`outbox ${qualifiedName(outbox)} is up to date; no migration applied\n`);
    } else {
      for (const name of applied) io.stdout(`applied ${name}\n`);
      io.stdout(`outbox ${qualifiedName(outbox)}: ${applied.length} migration(s) applied\n`);
    }
    return EXIT_OK;
  } finally {
    await knex.destroy();
  }
}
