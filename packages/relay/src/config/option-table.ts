import { DEFAULT_OUTBOX_TABLE } from '@kafka-streamer/core';

/** Parser of an option's raw value from the command line, the environment or the config file. */
export type ValueKind =
  | { readonly type: 'string' }
  | { readonly type: 'integer'; readonly min: number; readonly max?: number }
  | { readonly type: 'number'; readonly min: number; readonly max: number }
  | { readonly type: 'boolean' }
  | { readonly type: 'enum'; readonly values: readonly string[] }
  | { readonly type: 'list' }
  | { readonly type: 'file' }
  | { readonly type: 'identifier' };

/** Commands that read an option: `run` reads every option, the other commands `common` and `database`. */
export type OptionScope = 'common' | 'database' | 'run';

/** One setting of the relay CLI, with its flag, environment variable and config-file key. */
export interface OptionSpec {
  /** camelCase name: the config-file key and the key of the resolved config. */
  readonly key: string;
  /** Long flag without a value placeholder, e.g. `--batch-size`. */
  readonly flag: string;
  /** Environment variable twin: `KAFKA_STREAMER_` and the flag name in upper snake case. */
  readonly env: string;
  /** Value placeholder for help, e.g. `<ms>`; `[bool]` makes the value optional. */
  readonly placeholder?: string;
  readonly description: string;
  readonly kind: ValueKind;
  readonly default?: unknown;
  /** Text for the default in help when the value itself would mislead. */
  readonly defaultText?: string;
  readonly scope: OptionScope;
  /** The config file cannot set this option (the file path itself). */
  readonly notInFile?: boolean;
}

export const ENV_PREFIX = 'KAFKA_STREAMER_';

/** Environment variable that contains the SASL password. It has no flag, so the password never appears in `ps`. */
export const SASL_PASSWORD_ENV = 'KAFKA_STREAMER_SASL_PASSWORD';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const DATABASE_CLIENTS = ['pg', 'mysql2', 'better-sqlite3'] as const;
export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export const BLOCKED_KEY_POLICIES = ['hold', 'skip'] as const;

/** Turns `--batch-size` into `KAFKA_STREAMER_BATCH_SIZE`. */
export function envNameOf(flag: string): string {
  return ENV_PREFIX + flag.replace(/^--/, '').replaceAll('-', '_').toUpperCase();
}

type SpecInput = Omit<OptionSpec, 'env'>;

function spec(input: SpecInput): OptionSpec {
  return { ...input, env: envNameOf(input.flag) };
}

const int = (min: number, max?: number): ValueKind =>
  max === undefined ? { type: 'integer', min } : { type: 'integer', min, max };

/** Every option of the CLI, in help order. */
export const OPTION_TABLE: readonly OptionSpec[] = [
  spec({
    key: 'config',
    flag: '--config',
    placeholder: '<file>',
    description: 'JSON file with settings, keyed by the camelCase option name',
    kind: { type: 'file' },
    scope: 'common',
    notInFile: true,
  }),
  spec({
    key: 'logLevel',
    flag: '--log-level',
    placeholder: '<level>',
    description: `log level: ${LOG_LEVELS.join(', ')}`,
    kind: { type: 'enum', values: LOG_LEVELS },
    default: 'info',
    scope: 'run',
  }),
  spec({
    key: 'databaseUrl',
    flag: '--database-url',
    placeholder: '<url>',
    description: 'outbox database: postgres://…, mysql://…, sqlite:///path/file.db or a SQLite file path',
    kind: { type: 'string' },
    scope: 'database',
  }),
  spec({
    key: 'databaseClient',
    flag: '--database-client',
    placeholder: '<client>',
    description: `Knex client: ${DATABASE_CLIENTS.join(', ')}`,
    kind: { type: 'enum', values: DATABASE_CLIENTS },
    defaultText: 'inferred from the URL scheme',
    scope: 'database',
  }),
  spec({
    key: 'outboxTable',
    flag: '--outbox-table',
    placeholder: '<name>',
    description: 'outbox table name',
    kind: { type: 'identifier' },
    default: DEFAULT_OUTBOX_TABLE,
    scope: 'database',
  }),
  spec({
    key: 'outboxSchema',
    flag: '--outbox-schema',
    placeholder: '<name>',
    description: 'PostgreSQL schema of the outbox table',
    kind: { type: 'identifier' },
    defaultText: 'the search path',
    scope: 'database',
  }),
  spec({
    key: 'brokers',
    flag: '--brokers',
    placeholder: '<host:port,…>',
    description: 'Kafka bootstrap brokers, comma-separated (required by run)',
    kind: { type: 'list' },
    scope: 'run',
  }),
  spec({
    key: 'clientId',
    flag: '--client-id',
    placeholder: '<id>',
    description: 'Kafka client id',
    kind: { type: 'string' },
    default: 'kafka-streamer-relay',
    scope: 'run',
  }),
  spec({
    key: 'connectionTimeout',
    flag: '--connection-timeout',
    placeholder: '<ms>',
    description: 'Kafka connection timeout in milliseconds',
    kind: int(1, 600_000),
    default: 3000,
    scope: 'run',
  }),
  spec({
    key: 'requestTimeout',
    flag: '--request-timeout',
    placeholder: '<ms>',
    description: 'Kafka request timeout in milliseconds (KafkaJS retries a timed-out request 3 times, so a silent broker shows as an error after about 4 times this)',
    kind: int(1, 600_000),
    default: 30_000,
    scope: 'run',
  }),
  spec({
    key: 'ssl',
    flag: '--ssl',
    placeholder: '[bool]',
    description: 'connect to Kafka over TLS: --ssl alone means true, or give true or false',
    kind: { type: 'boolean' },
    default: false,
    scope: 'run',
  }),
  spec({
    key: 'sslCaFile',
    flag: '--ssl-ca-file',
    placeholder: '<file>',
    description: 'PEM file of CA certificates to trust (needs --ssl)',
    kind: { type: 'file' },
    defaultText: 'the Node.js CA store',
    scope: 'run',
  }),
  spec({
    key: 'sslCertFile',
    flag: '--ssl-cert-file',
    placeholder: '<file>',
    description: 'PEM client certificate for mutual TLS (needs --ssl and --ssl-key-file)',
    kind: { type: 'file' },
    scope: 'run',
  }),
  spec({
    key: 'sslKeyFile',
    flag: '--ssl-key-file',
    placeholder: '<file>',
    description: 'PEM private key of the client certificate (needs --ssl and --ssl-cert-file)',
    kind: { type: 'file' },
    scope: 'run',
  }),
  spec({
    key: 'sslRejectUnauthorized',
    flag: '--ssl-reject-unauthorized',
    placeholder: '<bool>',
    description: 'reject broker certificates that fail verification: true or false',
    kind: { type: 'boolean' },
    default: true,
    scope: 'run',
  }),
  spec({
    key: 'saslMechanism',
    flag: '--sasl-mechanism',
    placeholder: '<mechanism>',
    description: `SASL mechanism: ${SASL_MECHANISMS.join(', ')}; the password comes from ${SASL_PASSWORD_ENV} or --sasl-password-file`,
    kind: { type: 'enum', values: SASL_MECHANISMS },
    defaultText: 'no SASL',
    scope: 'run',
  }),
  spec({
    key: 'saslUsername',
    flag: '--sasl-username',
    placeholder: '<name>',
    description: 'SASL user name',
    kind: { type: 'string' },
    scope: 'run',
  }),
  spec({
    key: 'saslPasswordFile',
    flag: '--sasl-password-file',
    placeholder: '<file>',
    description: `file that contains the SASL password (one trailing newline is dropped); or set ${SASL_PASSWORD_ENV}`,
    kind: { type: 'file' },
    scope: 'run',
  }),
  spec({
    key: 'relayId',
    flag: '--relay-id',
    placeholder: '<id>',
    description: 'name of this relay in claims, logs and status output',
    kind: { type: 'string' },
    defaultText: 'hostname-pid-random',
    scope: 'run',
  }),
  spec({
    key: 'batchSize',
    flag: '--batch-size',
    placeholder: '<rows>',
    description: 'maximum rows claimed per batch',
    kind: int(1, 100_000),
    default: 500,
    scope: 'run',
  }),
  spec({
    key: 'pollInterval',
    flag: '--poll-interval',
    placeholder: '<ms>',
    description: 'maximum wait after a poll that found nothing to publish (it starts at 10 ms after rows were found and doubles), in milliseconds',
    kind: int(1, 3_600_000),
    default: 500,
    scope: 'run',
  }),
  spec({
    key: 'maxBatchesInFlight',
    flag: '--max-batches-in-flight',
    placeholder: '<n>',
    description: 'maximum claimed batches being published at once, each in its own lane of keys',
    kind: int(1, 64),
    default: 1,
    scope: 'run',
  }),
  spec({
    key: 'takeoverTime',
    flag: '--takeover-time',
    placeholder: '<ms>',
    description: 'claim lease in milliseconds; after it another relay may take the rows over',
    kind: int(300, 86_400_000),
    default: 30_000,
    scope: 'run',
  }),
  spec({
    key: 'retryInitialDelay',
    flag: '--retry-initial-delay',
    placeholder: '<ms>',
    description: 'delay before the first retry of a failed row, in milliseconds',
    kind: int(0, 3_600_000),
    default: 500,
    scope: 'run',
  }),
  spec({
    key: 'retryFactor',
    flag: '--retry-factor',
    placeholder: '<factor>',
    description: 'multiplier of the retry delay after each failed attempt',
    kind: { type: 'number', min: 1, max: 100 },
    default: 2,
    scope: 'run',
  }),
  spec({
    key: 'retryMaxDelay',
    flag: '--retry-max-delay',
    placeholder: '<ms>',
    description: 'cap of the retry delay, in milliseconds',
    kind: int(0, 86_400_000),
    default: 60_000,
    scope: 'run',
  }),
  spec({
    key: 'maxAttempts',
    flag: '--max-attempts',
    placeholder: '<n>',
    description: 'failed attempts after which a row that the broker rejected is parked (connection failures and timeouts retry without end)',
    kind: int(1, 1_000_000),
    default: 10,
    scope: 'run',
  }),
  spec({
    key: 'maxRequestBytes',
    flag: '--max-request-bytes',
    placeholder: '<bytes>',
    description: 'maximum size of one produce request, in bytes',
    kind: int(1024, 104_857_600),
    default: 1_000_000,
    scope: 'run',
  }),
  spec({
    key: 'blockedKeyPolicy',
    flag: '--blocked-key-policy',
    placeholder: '<policy>',
    description: 'when a row of a key is parked: hold (keep later rows of that key back) or skip (publish them)',
    kind: { type: 'enum', values: BLOCKED_KEY_POLICIES },
    default: 'hold',
    scope: 'run',
  }),
  spec({
    key: 'shutdownGrace',
    flag: '--shutdown-grace',
    placeholder: '<ms>',
    description: 'time to finish in-flight batches after SIGTERM or SIGINT, in milliseconds',
    kind: int(0, 3_600_000),
    default: 10_000,
    scope: 'run',
  }),
  spec({
    key: 'metricsPort',
    flag: '--metrics-port',
    placeholder: '<port>',
    description: 'port of the /metrics, /healthz and /readyz server; 0 picks a free port',
    kind: int(0, 65_535),
    defaultText: 'no server',
    scope: 'run',
  }),
  spec({
    key: 'metricsHost',
    flag: '--metrics-host',
    placeholder: '<host>',
    description: 'address the metrics server listens on',
    kind: { type: 'string' },
    default: '127.0.0.1',
    scope: 'run',
  }),
  spec({
    key: 'statusInterval',
    flag: '--status-interval',
    placeholder: '<ms>',
    description: 'how often the pending, oldest-age and parked gauges are queried, in milliseconds',
    kind: int(100, 3_600_000),
    default: 5000,
    scope: 'run',
  }),
];

/** Returns the options a command reads: `run` reads all, the others the common and database options. */
export function optionsForCommand(command: 'run' | 'migrate' | 'status' | 'requeue'): readonly OptionSpec[] {
  if (command === 'run') return OPTION_TABLE;
  return OPTION_TABLE.filter((option) => option.scope !== 'run');
}

export function findOption(key: string): OptionSpec {
  const option = OPTION_TABLE.find((candidate) => candidate.key === key);
  if (option === undefined) throw new Error(`no option with key ${key}`);
  return option;
}
