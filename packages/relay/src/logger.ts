import { logLevel as KafkaLogLevel, type logCreator } from 'kafkajs';
import pino, { type Logger } from 'pino';
import type { ResolvedRelayOptions } from './options.js';

/** Returns the logger given in the options, or a silent one, with the relay id bound. */
export function relayLogger(options: ResolvedRelayOptions): Logger {
  const base = options.logger ?? pino({ level: 'silent' });
  return base.child({ relayId: options.relayId });
}

// KafkaJS warns about this on every idempotent producer with bounded retries. The
// relay retries rows itself and promises at-least-once delivery, not exactly-once,
// so the warning is logged at debug.
const EXPECTED_KAFKAJS_WARNING = 'Limiting retries for the idempotent producer';

/** Routes KafkaJS's own log lines into pino, under `component: "kafkajs"`. */
export function kafkaLogCreator(logger: Logger): logCreator {
  const child = logger.child({ component: 'kafkajs' });
  return () => (entry) => {
    const { message, ...fields } = entry.log;
    const details = { namespace: entry.namespace, ...fields };
    if (entry.level === KafkaLogLevel.ERROR || entry.level === KafkaLogLevel.WARN) {
      // KafkaJS logs every internal retry as an error; the relay logs the final outcome at error.
      if (String(message).startsWith(EXPECTED_KAFKAJS_WARNING)) child.debug(details, message);
      else child.warn(details, message);
    } else if (entry.level === KafkaLogLevel.INFO) {
      child.info(details, message);
    } else {
      child.debug(details, message);
    }
  };
}

const SECRET_TLS_FIELDS = ['key', 'cert', 'ca', 'pfx', 'passphrase'];

function redactKafka(kafka: ResolvedRelayOptions['kafka']): unknown {
  if (typeof (kafka as { producer?: unknown }).producer === 'function') return '(KafkaJS instance)';
  const settings = kafka as Exclude<ResolvedRelayOptions['kafka'], { producer: unknown }>;
  const ssl =
    typeof settings.ssl === 'object'
      ? Object.fromEntries(
          Object.entries(settings.ssl).map(([name, value]) => [name, SECRET_TLS_FIELDS.includes(name) ? '[redacted]' : value]),
        )
      : settings.ssl;
  const sasl = settings.sasl === undefined ? undefined : { mechanism: settings.sasl.mechanism, credentials: '[redacted]' };
  return { ...settings, ssl, sasl };
}

function redactDatabase(options: ResolvedRelayOptions): unknown {
  if (options.database === undefined) return '(Knex instance)';
  const { connection } = options.database;
  if (typeof connection === 'string') return { client: options.database.client, connection: redactUrl(connection) };
  const shown = { ...(connection as Record<string, unknown>) };
  if ('password' in shown) shown.password = '[redacted]';
  return { client: options.database.client, connection: shown, pool: options.database.pool };
}

function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password !== '') url.password = 'redacted';
    return url.toString();
  } catch {
    return text;
  }
}

/** Describes the effective configuration for the start log line, with secrets redacted. */
export function describeOptions(options: ResolvedRelayOptions): Record<string, unknown> {
  return {
    database: redactDatabase(options),
    outbox: options.outbox,
    kafka: redactKafka(options.kafka),
    relayId: options.relayId,
    batchSize: options.batchSize,
    pollIntervalMs: options.pollIntervalMs,
    maxBatchesInFlight: options.maxBatchesInFlight,
    takeoverMs: options.takeoverMs,
    retry: options.retry,
    maxRequestBytes: options.maxRequestBytes,
    shutdownGraceMs: options.shutdownGraceMs,
    blockedKeyPolicy: options.blockedKeyPolicy,
  };
}
