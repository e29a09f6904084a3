import { createTestDatabase } from '../support/databases.js';
import type { SuitePorts } from './ports.js';
import { startPrivateMariadb, startPrivatePostgres } from './private-servers.js';
import type { ScenarioDatabase } from './scenario.js';

export type DatabaseKind = 'postgres' | 'mysql' | 'private-postgres' | 'private-mariadb';

/** A fresh database on the shared test server (never restarted), from test/support/databases.ts. */
async function sharedDatabase(dialect: 'postgres' | 'mysql'): Promise<ScenarioDatabase> {
  const db = await createTestDatabase(dialect, 'ks_faults');
  await db.knex.destroy();
  return {
    label: dialect === 'postgres' ? 'PostgreSQL' : 'MariaDB',
    url: db.url,
    client: dialect === 'postgres' ? 'pg' : 'mysql2',
    async destroy() {
      // createTestDatabase's destroy also drops the database; its own pool is already closed.
      await db.destroy().catch(() => undefined);
    },
  };
}

/** A server of the suite's own on a loopback port, which the scenario may crash and restart. */
async function privateDatabase(kind: 'private-postgres' | 'private-mariadb', ports: SuitePorts): Promise<ScenarioDatabase> {
  const server = kind === 'private-postgres' ? await startPrivatePostgres(ports.postgres) : await startPrivateMariadb(ports.mariadb);
  return {
    label: kind === 'private-postgres' ? 'PostgreSQL (private server)' : 'MariaDB (private server)',
    url: server.url,
    client: server.dialect === 'postgres' ? 'pg' : 'mysql2',
    crashAndRestart: () => server.crashAndRestart(),
    destroy: () => server.destroy(),
  };
}

export function openDatabase(kind: DatabaseKind, ports: SuitePorts): Promise<ScenarioDatabase> {
  if (kind === 'postgres' || kind === 'mysql') return sharedDatabase(kind);
  return privateDatabase(kind, ports);
}
