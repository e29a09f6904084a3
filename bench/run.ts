// Benchmarks of the relay and of streamInTx against the local broker and databases.
// Run: npm run bench -- [--smoke | --quick] [--rows N] [--only drain,peer,...]; see bench/lib/args.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type BenchSettings, MEASURES, parseBenchArgs } from './lib/args.js';
import { machineInfo } from './lib/machine.js';
import { formatTable, type TargetRow, targetRow } from './lib/report.js';
import { measureDrain } from './scenarios/drain.js';
import { measureLatency } from './scenarios/latency.js';
import { measureOverhead } from './scenarios/overhead.js';
import { measurePeer } from './scenarios/peer.js';
import { measureRelays } from './scenarios/relays.js';
import { measureScale } from './scenarios/scale.js';

type Measure = (typeof MEASURES)[number];

function log(measure: string) {
  return (line: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)} ${measure}] ${line}\n`);
}

const RUNNERS: Record<Measure, (settings: BenchSettings, log: (line: string) => void) => Promise<object>> = {
  drain: measureDrain,
  peer: measurePeer,
  overhead: measureOverhead,
  latency: measureLatency,
  scale: measureScale,
  relays: measureRelays,
};

function summary(details: Record<string, Record<string, unknown>>): Record<string, number | undefined> {
  const number = (measure: string, field: string) => details[measure]?.[field] as number | undefined;
  return {
    relayVsClient: number('drain', 'relayVsClient'),
    relayVsClientTwoInFlight: number('drain', 'relayVsClientTwoInFlight'),
    relayVsPeer: number('peer', 'relayVsPeer'),
    streamOverheadP50: number('overhead', 'streamOverheadP50'),
    streamOverheadP50TenObjects: number('overhead', 'streamOverheadP50TenObjects'),
    latencyP50Ms: number('latency', 'latencyP50Ms'),
    latencyP99Ms: number('latency', 'latencyP99Ms'),
    backlogRateRatio: number('scale', 'backlogRateRatio'),
    relayRssMb: number('scale', 'relayRssMb'),
    relays2Vs1: number('relays', 'relays2Vs1'),
  };
}

function targetRows(numbers: Record<string, number | undefined>, details: Record<string, Record<string, unknown>>): TargetRow[] {
  const plan = details.scale?.claimPlan as { indexScan: boolean; sort: boolean; seqScanOnOutbox: boolean } | undefined;
  let planOk: number | undefined;
  if (plan !== undefined) planOk = plan.indexScan && !plan.sort && !plan.seqScanOnOutbox ? 1 : 0;
  return [
    targetRow('relay / client drain rate', numbers.relayVsClient, '>= 0.8', (v) => v >= 0.8),
    targetRow('same, 2 batches in flight (lanes)', numbers.relayVsClientTwoInFlight, 'report', () => true),
    targetRow('relay / peer drain rate', numbers.relayVsPeer, '> 1', (v) => v > 1),
    targetRow('streamInTx p50 ratio, 1 row', numbers.streamOverheadP50, '<= 1.10', (v) => v <= 1.1),
    targetRow('streamInTx p50 ratio, 10 rows', numbers.streamOverheadP50TenObjects, '<= 1.10', (v) => v <= 1.1),
    targetRow('latency p50 ms at 1000/s', numbers.latencyP50Ms, '<= 20', (v) => v <= 20),
    targetRow('latency p99 ms at 1000/s', numbers.latencyP99Ms, '<= 100', (v) => v <= 100),
    targetRow('drain rate large / small backlog', numbers.backlogRateRatio, '>= 0.9', (v) => v >= 0.9),
    targetRow('relay peak RSS MB, large backlog', numbers.relayRssMb, '<= 200', (v) => v <= 200),
    targetRow('claim plan: index scans, no sort', planOk, '1', (v) => v === 1),
    targetRow('2 relays / 1 relay drain rate', numbers.relays2Vs1, 'report', () => true),
  ];
}

async function main(): Promise<void> {
  const settings = parseBenchArgs(process.argv.slice(2));
  const machine = machineInfo();
  const started = new Date();
  log('bench')(`settings ${JSON.stringify(settings)}`);

  const details: Record<string, Record<string, unknown>> = {};
  const failures: string[] = [];
  for (const measure of MEASURES) {
    if (settings.only.length > 0 && !settings.only.includes(measure)) continue;
    const begin = performance.now();
    try {
      details[measure] = { ...(await RUNNERS[measure](settings, log(measure))), seconds: Math.round((performance.now() - begin) / 1000) };
    } catch (error) {
      failures.push(measure);
      log(measure)(`failed: ${(error as Error).stack ?? String(error)}`);
    }
  }

  const numbers = summary(details);
  process.stdout.write(`${formatTable(targetRows(numbers, details))}\n`);

  const results = { date: started.toISOString(), finished: new Date().toISOString(), machine, settings, ...numbers, details, failures };
  if (settings.output !== undefined) {
    mkdirSync(dirname(settings.output), { recursive: true });
    writeFileSync(settings.output, `${JSON.stringify(results, null, 2)}\n`);
    log('bench')(`wrote ${settings.output}`);
  }
  if (failures.length > 0) {
    log('bench')(`measures failed: ${failures.join(', ')}`);
    process.exitCode = 1;
  }
}

await main();
