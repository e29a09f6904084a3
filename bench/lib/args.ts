import { parseArgs } from 'node:util';

/** Sizes and switches of one benchmark run. */
export interface BenchSettings {
  /** Tiny sizes to check that the harness works; the results file is not written. */
  readonly smoke: boolean;
  /** Rows of the drain and peer backlogs. */
  readonly rows: number;
  /** Distinct message keys in every backlog. */
  readonly keys: number;
  /** Payload size in bytes. */
  readonly payloadBytes: number;
  /** Rows of the peer comparison (the peer scans its whole table per poll, so it gets its own knob). */
  readonly peerRows: number;
  /** Small and large backlog of the scale measure. */
  readonly scaleSmallRows: number;
  readonly scaleLargeRows: number;
  /** Rows of the one-relay against two-relays measure. */
  readonly relaysRows: number;
  /** Rows of the MariaDB and SQLite drains. */
  readonly otherDialectRows: number;
  /** Transactions per variant of the streamInTx overhead measure. */
  readonly overheadRounds: number;
  /** Duration in ms and rate in messages/s of the latency measure. */
  readonly latencyMs: number;
  readonly latencyRate: number;
  /** Messages per transaction of the latency load. */
  readonly latencyBatch: number;
  /** Time limit in ms of each relay-process drain (scale and relays); its rate then covers the rows drained so far. */
  readonly processDrainMs: number;
  /** Upper bound in ms of any single drain; a drain that hits it is reported as unfinished. */
  readonly drainTimeoutMs: number;
  /**
   * Interval in ms of a VACUUM of the outbox during the scale drains, or undefined for
   * none. It replaces autovacuum on a server that runs without it.
   */
  readonly vacuumMs: number | undefined;
  /** maxBatchesInFlight of the in-process drains; undefined for the relay's default. */
  readonly batchesInFlight: number | undefined;
  /** Measures to run; all when empty. */
  readonly only: readonly string[];
  /** Where the JSON results go; undefined for none. */
  readonly output: string | undefined;
}

export const MEASURES = ['drain', 'peer', 'overhead', 'latency', 'scale', 'relays'] as const;

const FULL = {
  rows: 200_000,
  peerRows: 20_000,
  scaleSmallRows: 10_000,
  scaleLargeRows: 1_000_000,
  relaysRows: 200_000,
  otherDialectRows: 50_000,
  overheadRounds: 2000,
  latencyMs: 30_000,
  processDrainMs: 240_000,
  drainTimeoutMs: 600_000,
};

const QUICK = {
  rows: 50_000,
  peerRows: 5000,
  scaleSmallRows: 10_000,
  scaleLargeRows: 200_000,
  relaysRows: 50_000,
  otherDialectRows: 20_000,
  overheadRounds: 500,
  latencyMs: 15_000,
  processDrainMs: 90_000,
  drainTimeoutMs: 300_000,
};

const SMOKE = {
  rows: 400,
  peerRows: 30,
  scaleSmallRows: 300,
  scaleLargeRows: 1200,
  relaysRows: 400,
  otherDialectRows: 300,
  overheadRounds: 20,
  latencyMs: 1500,
  processDrainMs: 30_000,
  drainTimeoutMs: 30_000,
};

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`expected --${name} to be a positive integer, got ${text}`);
  return value;
}

/** Parses the command line of `npm run bench -- [options]`. */
export function parseBenchArgs(argv: readonly string[]): BenchSettings {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      smoke: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      rows: { type: 'string' },
      'peer-rows': { type: 'string' },
      'scale-rows': { type: 'string' },
      'relays-rows': { type: 'string' },
      'dialect-rows': { type: 'string' },
      rounds: { type: 'string' },
      'latency-ms': { type: 'string' },
      'latency-batch': { type: 'string' },
      'in-flight': { type: 'string' },
      'vacuum-ms': { type: 'string' },
      'drain-ms': { type: 'string' },
      only: { type: 'string' },
      output: { type: 'string' },
    },
  });

  const base = values.smoke ? SMOKE : values.quick ? QUICK : FULL;
  const only = (values.only ?? '').split(',').filter((name) => name.length > 0);
  for (const name of only) {
    if (!(MEASURES as readonly string[]).includes(name)) throw new Error(`unknown measure ${name}: use ${MEASURES.join(', ')}`);
  }

  return {
    smoke: values.smoke === true,
    rows: positive('rows', values.rows, base.rows),
    keys: 100,
    payloadBytes: 1000,
    peerRows: positive('peer-rows', values['peer-rows'], base.peerRows),
    scaleSmallRows: base.scaleSmallRows,
    scaleLargeRows: positive('scale-rows', values['scale-rows'], base.scaleLargeRows),
    relaysRows: positive('relays-rows', values['relays-rows'], base.relaysRows),
    otherDialectRows: positive('dialect-rows', values['dialect-rows'], base.otherDialectRows),
    overheadRounds: positive('rounds', values.rounds, base.overheadRounds),
    latencyMs: positive('latency-ms', values['latency-ms'], base.latencyMs),
    latencyRate: 1000,
    latencyBatch: positive('latency-batch', values['latency-batch'], 10),
    processDrainMs: positive('drain-ms', values['drain-ms'], base.processDrainMs),
    drainTimeoutMs: base.drainTimeoutMs,
    batchesInFlight: values['in-flight'] === undefined ? undefined : positive('in-flight', values['in-flight'], 1),
    vacuumMs: values['vacuum-ms'] === undefined ? undefined : positive('vacuum-ms', values['vacuum-ms'], 1),
    only,
    // A smoke run never replaces the recorded results.
    output: values.output ?? (values.smoke ? undefined : 'bench/results/latest.json'),
  };
}
