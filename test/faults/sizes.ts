/** How big a run is: `small` for CI (seconds per scenario), `long` for the documented soak (minutes). */
export type RunSize = 'small' | 'long';

/** The knobs that differ between a small and a long run. */
export interface SizeProfile {
  /** Time the fault schedule of most scenarios runs, in ms. */
  readonly durationMs: number;
  /** SIGKILLs of the single-relay kill scenario. */
  readonly kills: number;
  /** SIGKILLs of the multi-relay scenario. */
  readonly multiKills: number;
  /** Broker restarts. */
  readonly brokerRestarts: number;
  /** Database crashes per database. */
  readonly databaseRestarts: number;
  /** Network faults of the proxy scenario. */
  readonly proxyFaults: number;
  /** Long transactions. */
  readonly longTransactions: number;
  /** Poison rows of each kind. */
  readonly poisonRows: number;
  /** SIGTERM rounds of each variant. */
  readonly sigtermRounds: number;
  readonly workers: number;
}

export const SIZES: Readonly<Record<RunSize, SizeProfile>> = {
  small: {
    durationMs: 12_000,
    kills: 6,
    multiKills: 5,
    brokerRestarts: 1,
    databaseRestarts: 1,
    proxyFaults: 5,
    longTransactions: 2,
    poisonRows: 2,
    sigtermRounds: 1,
    workers: 4,
  },
  long: {
    durationMs: 90_000,
    kills: 55,
    multiKills: 30,
    brokerRestarts: 4,
    databaseRestarts: 4,
    proxyFaults: 20,
    longTransactions: 8,
    poisonRows: 6,
    sigtermRounds: 3,
    workers: 6,
  },
};
