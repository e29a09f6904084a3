import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaultBroker } from './broker.js';
import { type DatabaseKind, openDatabase } from './databases.js';
import { reservePorts } from './ports.js';
import { Prng } from './prng.js';
import { runScenario, type ScenarioResult, type ScenarioSpec } from './scenario.js';
import { backlog } from './scenarios/backlog.js';
import { brokerRestart } from './scenarios/broker-restart.js';
import { databaseRestart } from './scenarios/database-restart.js';
import { longTransactionScenario } from './scenarios/long-transaction.js';
import { multiRelay } from './scenarios/multi-relay.js';
import { network } from './scenarios/network.js';
import { poison } from './scenarios/poison.js';
import { relayKill } from './scenarios/relay-kill.js';
import { sigterm } from './scenarios/sigterm.js';
import { type RunSize, SIZES } from './sizes.js';

/** A scenario as the command line names it, with the database it runs on. */
interface ScenarioEntry {
  readonly spec: ScenarioSpec;
  readonly database: DatabaseKind | 'default';
}

/** Every scenario, in the order a full run takes them. */
export const SCENARIOS: Readonly<Record<string, ScenarioEntry>> = {
  'relay-kill': { spec: relayKill, database: 'default' },
  'multi-relay': { spec: multiRelay, database: 'default' },
  'broker-restart': { spec: brokerRestart, database: 'default' },
  'db-restart-postgres': { spec: databaseRestart, database: 'private-postgres' },
  'db-restart-mariadb': { spec: databaseRestart, database: 'private-mariadb' },
  network: { spec: network, database: 'default' },
  'long-transaction': { spec: longTransactionScenario, database: 'default' },
  poison: { spec: poison, database: 'default' },
  sigterm: { spec: sigterm, database: 'default' },
  backlog: { spec: backlog, database: 'default' },
};

/**
 * The scenarios of a default run. `backlog` is left out: it fails until the claim
 * query stops costing time in proportion to the backlog.
 */
export const DEFAULT_SCENARIOS: readonly string[] = Object.keys(SCENARIOS).filter((name) => name !== 'backlog');

export interface SuiteOptions {
  readonly seed: number;
  readonly size: RunSize;
  readonly scenarios: readonly string[];
  /** Database of the scenarios that do not restart one: the shared PostgreSQL or MariaDB test server. */
  readonly dialect: 'postgres' | 'mysql';
  /** Directory for the relays' logs. */
  readonly logDir?: string;
  readonly onResult?: (result: ScenarioResult) => void;
}

export interface SuiteResult {
  readonly seed: number;
  readonly size: RunSize;
  readonly results: ScenarioResult[];
  readonly durationMs: number;
  readonly logDir: string;
}

/** Runs the chosen scenarios in order on one broker of the suite's own; each gets a seed derived from the run's seed. */
export async function runSuite(options: SuiteOptions): Promise<SuiteResult> {
  const startedAt = Date.now();
  for (const name of options.scenarios) {
    if (SCENARIOS[name] === undefined) throw new Error(`unknown scenario ${JSON.stringify(name)}: use one of ${Object.keys(SCENARIOS).join(', ')}`);
  }
  const logDir = options.logDir ?? join(tmpdir(), `ks-faults-${options.seed}-${Date.now().toString(36)}`);
  mkdirSync(logDir, { recursive: true });

  const prng = new Prng(options.seed);
  const seeds = new Map(Object.keys(SCENARIOS).map((name) => [name, prng.int(0, 0xffffffff)]));
  const ports = await reservePorts();
  const broker = new FaultBroker(ports.broker, ports.proxy);
  const results: ScenarioResult[] = [];
  try {
    await broker.start();
    for (const name of options.scenarios) {
      const entry = SCENARIOS[name] as ScenarioEntry;
      const database = await openDatabase(entry.database === 'default' ? options.dialect : entry.database, ports);
      try {
        const result = await runScenario(entry.spec, database, seeds.get(name) as number, { broker, logDir, size: SIZES[options.size] });
        const named = { ...result, name };
        results.push(named);
        options.onResult?.(named);
      } finally {
        await database.destroy();
      }
    }
  } finally {
    await broker.stop();
    ports.release();
  }
  return { seed: options.seed, size: options.size, results, durationMs: Date.now() - startedAt, logDir };
}
