import { parseArgs } from 'node:util';

/** Options of `npm run demo`. */
export interface DemoOptions {
  /** postgres:// or mysql:// URL of a server; undefined for a temporary SQLite file. */
  readonly db: string | undefined;
  readonly changes: number;
  readonly concurrency: number;
  readonly transactionSize: number;
  readonly seed: number;
  /** Time the verifier waits for every expected message, in seconds. */
  readonly timeoutSeconds: number;
  /** Keep the demo database (or SQLite file) after the run. */
  readonly keep: boolean;
  /** Write the ledger as JSON to this file. */
  readonly ledgerFile: string | undefined;
  readonly samples: number;
}

export const DEMO_USAGE = `Usage: npm run demo -- [options]

Runs the shop example: application transactions stream their changes through the
outbox, a relay publishes them to Kafka, and a verifier checks that every committed
change arrived, in order per object, and nothing from rolled-back work did.

Options:
  --db URL            postgres://user@host:port/db or mysql://user@host:port/db; the demo
                      creates a new database ks_demo_<run id> on that server (the URL's
                      own database is only used to create it) and drops it afterwards.
                      Default: a new SQLite file in a temporary folder.
  --changes N         committed changes to make, the 100 of the initial customers and
                      products included (default 10000)
  --concurrency N     transactions running at once (default 8)
  --tx-size N         order changes per order transaction (default 3)
  --seed N            seed of the random choices (default 1)
  --timeout SECONDS   how long the verifier waits for the expected messages (default 120)
  --samples N         sample messages to print (default 4)
  --keep              keep the demo database or SQLite file
  --ledger FILE       also write the expectation ledger to FILE as JSON
  -h, --help          print this help

Environment:
  KAFKA_BROKERS       comma-separated brokers; when unset, the local broker is started
                      with scripts/kafka.sh start
`;

/** Thrown for a command-line value that is invalid. */
export class InvalidDemoOptionError extends Error {}

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new InvalidDemoOptionError(`invalid --${name} ${JSON.stringify(value)}: expected a whole number of 1 or more`);
  }
  return parsed;
}

/** Parses the command line; returns undefined when help was requested. */
export function parseDemoOptions(args: readonly string[]): DemoOptions | undefined {
  const { values } = parseArgs({
    args: [...args],
    options: {
      db: { type: 'string' },
      changes: { type: 'string' },
      concurrency: { type: 'string' },
      'tx-size': { type: 'string' },
      seed: { type: 'string' },
      timeout: { type: 'string' },
      samples: { type: 'string' },
      keep: { type: 'boolean', default: false },
      ledger: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return undefined;

  return {
    db: values.db,
    changes: positiveInteger('changes', values.changes, 10_000),
    concurrency: positiveInteger('concurrency', values.concurrency, 8),
    transactionSize: positiveInteger('tx-size', values['tx-size'], 3),
    seed: positiveInteger('seed', values.seed, 1),
    timeoutSeconds: positiveInteger('timeout', values.timeout, 120),
    samples: values.samples === '0' ? 0 : positiveInteger('samples', values.samples, 4),
    keep: values.keep ?? false,
    ledgerFile: values.ledger,
  };
}
