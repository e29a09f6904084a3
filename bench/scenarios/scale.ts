import { DEFAULT_OUTBOX_TABLE } from '@kafka-streamer/core';
import type { Knex } from 'knex';
import type { BenchSettings } from '../lib/args.js';
import { fillOutbox } from '../lib/backlog.js';
import { benchTopic } from '../lib/kafka.js';
import { drainWithProcesses, type ProcessDrainResult } from '../lib/relay-process.js';
import { createTestDatabase } from '../../test/support/databases.js';
import { type ClaimPlan, explainClaim } from './explain.js';

// The relay's default batch size: the rows an earlier batch in flight holds.
const BATCH_SIZE = 500;

export interface ScaleMeasure {
  readonly small: ProcessDrainResult;
  readonly large: ProcessDrainResult;
  /** Drain rate of the large backlog / that of the small one. */
  readonly backlogRateRatio: number;
  /** Peak VmRSS of the relay process while it drained the large backlog. */
  readonly relayRssMb: number;
  /** The claim on the full large backlog. */
  readonly claimPlan: ClaimPlan;
  /** The same claim while the first batch of rows is leased, as with a batch in flight. */
  readonly claimPlanBehindLease: ClaimPlan;
}

/** Relay CLI flags that follow the --in-flight knob. */
export function relayArgs(settings: BenchSettings): string[] {
  return settings.batchesInFlight === undefined ? [] : ['--max-batches-in-flight', String(settings.batchesInFlight)];
}

/** Runs VACUUM on the outbox every `intervalMs` until stopped, skipping a turn while one runs. */
function startVacuum(knex: Knex, intervalMs: number): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (running !== undefined) return;
    running = knex
      .raw(`VACUUM ${DEFAULT_OUTBOX_TABLE}`)
      .catch(() => undefined)
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

async function drainBacklog(rows: number, settings: BenchSettings, explain: boolean) {
  const db = await createTestDatabase('postgres', 'ks_bench_scale');
  try {
    const topic = await benchTopic('scale');
    await fillOutbox(db.knex, { topic, rows, keys: settings.keys, payloadBytes: settings.payloadBytes });
    const plan = explain ? await explainClaim(db.knex) : undefined;
    const planBehindLease = explain ? await explainClaim(db.knex, BATCH_SIZE) : undefined;
    const vacuum = settings.vacuumMs === undefined ? undefined : startVacuum(db.knex, settings.vacuumMs);
    try {
      const result = await drainWithProcesses(db.knex, db.url, rows, 1, settings.processDrainMs, relayArgs(settings));
      return { result, plan, planBehindLease };
    } finally {
      await vacuum?.stop();
    }
  } finally {
    await db.destroy();
  }
}

function describe(result: ProcessDrainResult): string {
  const done = result.finished ? 'all' : `${result.drained} (time limit)`;
  return `${Math.round(result.rate)} msg/s, ${done} of ${result.rows} rows, peak RSS ${result.peakRssMb[0]} MB`;
}

/**
 * Drain rate of a small against a large backlog with one relay CLI process, its
 * RSS, and the claim plan. A drain that hits the time limit is rated on the rows
 * it published.
 */
export async function measureScale(settings: BenchSettings, log: (line: string) => void): Promise<ScaleMeasure> {
  const small = await drainBacklog(settings.scaleSmallRows, settings, false);
  log(`${settings.scaleSmallRows} rows: ${describe(small.result)}`);
  const large = await drainBacklog(settings.scaleLargeRows, settings, true);
  log(`${settings.scaleLargeRows} rows: ${describe(large.result)}`);

  const claimPlan = large.plan as ClaimPlan;
  const claimPlanBehindLease = large.planBehindLease as ClaimPlan;
  log(`claim plan: ${claimPlan.nodes.join(' > ')} (${claimPlan.executionMs.toFixed(1)} ms, ${claimPlan.rows} rows)`);
  log(`claim behind a leased batch: ${claimPlanBehindLease.executionMs.toFixed(1)} ms, ${claimPlanBehindLease.rows} rows`);
  return {
    small: small.result,
    large: large.result,
    backlogRateRatio: large.result.rate / small.result.rate,
    relayRssMb: large.result.peakRssMb[0] as number,
    claimPlan,
    claimPlanBehindLease,
  };
}
