import type { TestDatabase, TestDialect } from '../../../../test/support/databases.js';
import type { Relay, RelayOptions } from '../../src/index.js';
import { createOutboxDatabase } from './outbox.js';
import { testRelay } from './relays.js';

/** A database and a relay on it, for tests that run every dialect at once. */
export interface Scenario {
  readonly dialect: TestDialect;
  readonly db: TestDatabase;
  readonly relay: Relay;
}

export async function createScenario(
  dialect: TestDialect,
  prefix: string,
  options: Partial<RelayOptions>,
): Promise<Scenario> {
  const db = await createOutboxDatabase(dialect, prefix);
  return { dialect, db, relay: testRelay(db, options) };
}

export async function destroyScenario(scenario: Scenario | undefined): Promise<void> {
  if (scenario === undefined) return;
  await scenario.relay.stop();
  await scenario.db.destroy();
}
