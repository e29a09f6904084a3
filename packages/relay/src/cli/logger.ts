import { hostname } from 'node:os';
import { type DestinationStream, type Logger, pino } from 'pino';
import { redactUrlPassword } from '../config/database-url.js';

export const REDACTED = '[redacted]';

/**
 * Paths that pino censors in every log line. Password and key paths lose the
 * whole value; database URLs and connection settings lose only the password.
 */
export const REDACT_PATHS: readonly string[] = [
  'password',
  '*.password',
  'saslPassword',
  'sasl.password',
  'kafka.sasl.password',
  'config.kafka.sasl.password',
  'ssl.key',
  'kafka.ssl.key',
  'config.kafka.ssl.key',
  'config.saslPassword.value',
  'databaseUrl',
  'config.databaseUrl.value',
  'connection',
  'database.connection',
  'config.database.connection',
];

function censor(value: unknown, path: string[]): unknown {
  if (path.some((segment) => /password|^key$/i.test(segment))) return REDACTED;

  // Database URLs and Knex connection settings stay readable without their password.
  if (typeof value === 'string') return redactUrlPassword(value);
  if (value !== null && typeof value === 'object' && 'password' in value) return { ...value, password: REDACTED };
  return value;
}

export interface CliLoggerOptions {
  readonly level: string;
  /** File descriptor: 1 (stdout) for `run`, 2 (stderr) for commands that print results on stdout. */
  readonly fd?: 1 | 2;
  /** Fields on every line, such as `relayId`. */
  readonly base?: Readonly<Record<string, unknown>>;
  /** Replaces the file descriptor, for tests. */
  readonly stream?: DestinationStream;
}

/**
 * Creates the CLI's JSON logger. Field names are fixed: `time` (ISO 8601),
 * `level` (label), `msg`, `service`, `pid`, `hostname`, and `err` for errors.
 * Writes synchronously so that the last lines survive `process.exit`.
 */
export function createCliLogger(options: CliLoggerOptions): Logger {
  const stream = options.stream ?? pino.destination({ dest: options.fd ?? 1, sync: true });
  return pino(
    {
      level: options.level,
      messageKey: 'msg',
      errorKey: 'err',
      timestamp: pino.stdTimeFunctions.isoTime,
      base: { service: 'kafka-streamer-relay', pid: process.pid, hostname: hostname(), ...options.base },
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...REDACT_PATHS], censor },
    },
    stream,
  );
}
