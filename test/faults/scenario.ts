import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Registry } from '@kafka-streamer/core';
import knexFactory, { type Knex } from 'knex';
import type { FaultBroker } from './broker.js';
import { FaultLog, type FaultRecord } from './fault-log.js';
import { readCommitted, readOutbox, waitForDrain } from './outbox-state.js';
import { Prng } from './prng.js';
import { QUIET_KNEX_LOG } from './quiet-log.js';
import { readTopics } from './read-topics.js';
import { RelayFleet, type RelayProcess, type RelaySettings } from './relays.js';
import { createFaultRegistry, createFaultSchema, type FaultTopics } from './schema.js';
import type { SizeProfile } from './sizes.js';
import { verify, type VerifyResult } from './verify.js';
import { type PoisonKind, Workload } from './workload.js';

/** A database a scenario runs on, with the crash it may inject. */
export interface ScenarioDatabase {
  readonly label: string;
  readonly url: string;
  readonly client: 'pg' | 'mysql2';
  crashAndRestart?(): Promise<void>;
  destroy(): Promise<void>;
}

/** What a scenario's fault schedule can use. */
export interface ScenarioContext {
  readonly name: string;
  readonly prng: Prng;
  readonly size: SizeProfile;
  readonly broker: FaultBroker;
  readonly database: ScenarioDatabase;
  readonly knex: Knex;
  readonly registry: Registry;
  readonly topics: FaultTopics;
  readonly fleet: RelayFleet;
  readonly workload: Workload;
  readonly faults: FaultLog;
  readonly settings: RelaySettings;
  readonly poison: Map<string, PoisonKind>;
  /** Violations found while the schedule runs (exit codes, time limits). */
  readonly violations: string[];
  /** Named figures the schedule measured, such as the time a SIGTERM took. */
  readonly figures: Map<string, number>;
  /** Kills a relay with SIGKILL, records the fault and measures the takeover of its rows in the background. */
  killRelay(relay: RelayProcess): Promise<FaultRecord>;
  /** Resolves once every takeover measured so far has ended. */
  takeoversDone(): Promise<void>;
  sleep(ms: number): Promise<void>;
}

export interface ScenarioSpec {
  readonly name: string;
  /** Relays started before the schedule runs. */
  readonly relays: number;
  /** Relay settings that differ from the defaults of the suite. */
  readonly settings?: Partial<RelaySettings>;
  /**
   * Whether a relay may exit on its own during its start-up (the supervisor restarts
   * it) without a violation, as the CLI does when its database is down then. An exit
   * later than STARTUP_WINDOW_MS after the start is always a violation.
   */
  readonly allowStartupExits?: boolean;
  /** Whether a takeover slower than the lease plus one poll interval and a start-up allowance is a violation. */
  readonly checkTakeover?: boolean;
  run(context: ScenarioContext): Promise<void>;
}

export interface ScenarioResult extends VerifyResult {
  readonly name: string;
  readonly database: string;
  readonly faults: readonly FaultRecord[];
  readonly maxRssKb: number;
  readonly maxTakeoverMs: number | null;
  readonly durationMs: number;
  readonly relayStarts: number;
  readonly figures: Map<string, number>;
  readonly transactions: { committed: number; rolledBack: number; failed: number };
}

export interface RunEnvironment {
  readonly broker: FaultBroker;
  readonly logDir: string;
  readonly size: SizeProfile;
}

const DEFAULT_SETTINGS = {
  takeoverMs: 3000,
  pollIntervalMs: 200,
  batchSize: 100,
  shutdownGraceMs: 8000,
  maxAttempts: 6,
  requestTimeoutMs: 5000,
};

/** Time in ms after a relay's start within which an exit counts as a failed start-up. */
const STARTUP_WINDOW_MS = 8000;

/** Age in ms a relay reaches before the final SIGTERM, so that the stop tested is the graceful one of a running relay. */
const MIN_AGE_BEFORE_SIGTERM_MS = 4000;

/** Allowance in ms for a replacement relay to start and poll, on top of the lease and one poll interval. */
const TAKEOVER_SLACK_MS = 4000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function measureTakeover(knex: Knex, record: FaultRecord, relayId: string, limitMs: number): Promise<void> {
  const killedAt = Date.now();
  while (Date.now() - killedAt < limitMs) {
    try {
      const [row] = await knex('kafka_streamer_outbox').where('claimed_by', relayId).count<{ n: number | string }[]>({ n: '*' });
      if (Number(row?.n ?? 0) === 0) {
        record.takeoverMs = Date.now() - killedAt;
        return;
      }
    } catch {
      // The database may be restarting; try again.
    }
    await sleep(50);
  }
  record.detail += ` (rows still held after ${limitMs} ms)`;
}

/** Runs one scenario: schema, topics, workload, relays, the fault schedule, the drain and the checks. */
export async function runScenario(spec: ScenarioSpec, database: ScenarioDatabase, seed: number, env: RunEnvironment): Promise<ScenarioResult> {
  const startedAt = Date.now();
  const prng = new Prng(seed);
  const suffix = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const topics: FaultTopics = {
    a: `ks-faults-${spec.name}-a-${suffix}`,
    b: `ks-faults-${spec.name}-b-${suffix}`,
    missing: `ks-faults-${spec.name}-missing-${suffix}`,
  };
  await env.broker.createTopics([topics.a, topics.b], 3);

  const knex = knexFactory({ client: database.client, connection: database.url, pool: { min: 0, max: env.size.workers + 6 }, acquireConnectionTimeout: 10_000, log: QUIET_KNEX_LOG });
  const settings: RelaySettings = { databaseUrl: database.url, brokers: env.broker.brokers, ...DEFAULT_SETTINGS, ...spec.settings };
  const fleet = new RelayFleet(settings, join(env.logDir, `${spec.name}-${database.label}.log`), spec.name);
  const takeovers: Promise<void>[] = [];

  try {
    await createFaultSchema(knex);
    const registry = createFaultRegistry(topics);
    const workload = new Workload({ knex, registry, prng: prng.fork(), workers: env.size.workers, keysPerWorker: 8, rollbackRate: 0.15, maxPauseMs: 40 });
    const faults = new FaultLog(knex);
    const context: ScenarioContext = {
      name: spec.name,
      prng: prng.fork(),
      size: env.size,
      broker: env.broker,
      database,
      knex,
      registry,
      topics,
      fleet,
      workload,
      faults,
      settings,
      poison: new Map(),
      violations: [],
      figures: new Map(),
      sleep,
      async takeoversDone() {
        await Promise.all(takeovers);
      },
      async killRelay(relay) {
        await fleet.kill(relay);
        const record = faults.add('relay SIGKILL', relay.relayId);
        if ((await faults.snapshot(record, relay.relayId)) > 0) {
          takeovers.push(measureTakeover(knex, record, relay.relayId, settings.takeoverMs * 4 + 20_000));
        }
        return record;
      },
    };

    workload.start();
    for (let index = 0; index < spec.relays; index += 1) fleet.start();
    await spec.run(context);
    await workload.stop();

    env.broker.proxy.heal();
    if (fleet.running().length === 0) fleet.start();
    await Promise.all(takeovers);
    if (!(await waitForDrain(knex, 120_000))) context.violations.push('the outbox did not drain within 120 s after the faults ended');

    const youngest = Math.max(...fleet.running().map((relay) => relay.startedAt));
    await sleep(youngest + MIN_AGE_BEFORE_SIGTERM_MS - Date.now());
    for (const { relay, exit, elapsedMs } of await fleet.terminateAll()) {
      if (exit.code !== 0) context.violations.push(`relay ${relay.relayId} exited with ${exit.code ?? exit.signal} after SIGTERM at the end (expected 0)`);
      if (elapsedMs > settings.shutdownGraceMs + 2000) context.violations.push(`relay ${relay.relayId} took ${elapsedMs} ms to exit after SIGTERM at the end`);
    }

    const result = verify({
      committed: await readCommitted(knex),
      rolledBackTx: workload.rolledBackTx,
      outbox: await readOutbox(knex),
      seen: await readTopics(env.broker.kafka('ks-faults-verify'), [topics.a, topics.b]),
      poison: context.poison,
      faults: faults.records,
    });

    for (const exit of fleet.unexpectedExits) {
      const line = `relay ${exit.relayId} exited with ${exit.code} on its own ${exit.afterMs} ms after it started`;
      if (spec.allowStartupExits && exit.afterMs < STARTUP_WINDOW_MS) context.figures.set('relay exits on their own (restarted)', (context.figures.get('relay exits on their own (restarted)') ?? 0) + 1);
      else context.violations.push(line);
    }

    const takeoverTimes = faults.records.flatMap((record) => (record.takeoverMs === null ? [] : [record.takeoverMs]));
    const maxTakeoverMs = takeoverTimes.length === 0 ? null : Math.max(...takeoverTimes);
    const takeoverLimit = settings.takeoverMs + settings.pollIntervalMs + TAKEOVER_SLACK_MS;
    if (spec.checkTakeover && maxTakeoverMs !== null && maxTakeoverMs > takeoverLimit) {
      context.violations.push(`takeover took ${maxTakeoverMs} ms, over the lease plus one poll interval and ${TAKEOVER_SLACK_MS} ms (${takeoverLimit} ms)`);
    }

    return {
      ...result,
      violations: [...context.violations, ...result.violations],
      name: spec.name,
      database: database.label,
      faults: faults.records,
      maxRssKb: fleet.maxRssKb(),
      maxTakeoverMs,
      durationMs: Date.now() - startedAt,
      relayStarts: fleet.all.length,
      figures: context.figures,
      transactions: { ...workload.counts },
    };
  } finally {
    await fleet.close();
    await knex.destroy();
  }
}
