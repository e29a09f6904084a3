import type { BenchSettings } from '../lib/args.js';
import { fillOutbox } from '../lib/backlog.js';
import { benchTopic } from '../lib/kafka.js';
import { drainWithProcesses, type ProcessDrainResult } from '../lib/relay-process.js';
import { createTestDatabase } from '../../test/support/databases.js';
import { type ClaimPlan, explainClaim } from './explain.js';

export interface ScaleMeasure {
  readonly small: ProcessDrainResult;
  readonly large: ProcessDrainResult;
  /** Drain rate of the large backlog / that of the small one. */
  readonly backlogRateRatio: number;
  /** Peak VmRSS of the relay process while it drained the large backlog. */
  readonly relayRssMb: number;
  /** The claim on the full large backlog. */
  readonly claimPlan: ClaimPlan;
}

async function drainBacklog(rows: number, settings: BenchSettings, explain: boolean) {
  const db = await createTestDatabase('postgres', 'ks_bench_scale');
  try {
    const topic = await benchTopic('scale');
    await fillOutbox(db.knex, { topic, rows, keys: settings.keys, payloadBytes: settings.payloadBytes });
    const plan = explain ? await explainClaim(db.knex) : undefined;
    const result = await drainWithProcesses(db.knex, db.url, rows, 1, settings.drainTimeoutMs);
    if (!result.finished) throw new Error(`the relay process did not drain ${rows} rows within ${settings.drainTimeoutMs} ms`);
    return { result, plan };
  } finally {
    await db.destroy();
  }
}

/** Drain rate of a small against a large backlog with one relay CLI process, its RSS, and the claim plan. */
export async function measureScale(settings: BenchSettings, log: (line: string) => void): Promise<ScaleMeasure> {
  const small = await drainBacklog(settings.scaleSmallRows, settings, false);
  log(`${settings.scaleSmallRows} rows: ${Math.round(small.result.rate)} msg/s`);
  const large = await drainBacklog(settings.scaleLargeRows, settings, true);
  log(`${settings.scaleLargeRows} rows: ${Math.round(large.result.rate)} msg/s, peak RSS ${large.result.peakRssMb[0]} MB`);

  const claimPlan = large.plan as ClaimPlan;
  log(`claim plan: ${claimPlan.nodes.join(' > ')} (${claimPlan.executionMs.toFixed(1)} ms)`);
  return {
    small: small.result,
    large: large.result,
    backlogRateRatio: large.result.rate / small.result.rate,
    relayRssMb: large.result.peakRssMb[0] as number,
    claimPlan,
  };
}
