import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createCliLogger } from '../../src/cli/logger.js';
import { describeConfig } from '../../src/config/describe-config.js';
import { loadConfig } from '../../src/config/load-config.js';

function captureLogger(level = 'info') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = createCliLogger({ level, stream, base: { relayId: 'relay-1' } });
  // biome-ignore lint/suspicious/noExplicitAny: log lines are free-form JSON
  const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, any>);
  return { logger, lines, parsed };
}

describe('start log redaction', () => {
  const loaded = loadConfig({
    command: 'run',
    cli: { databaseUrl: 'postgres://relay:hunter2@127.0.0.1:5432/app', saslMechanism: 'plain' },
    env: {
      KAFKA_STREAMER_BROKERS: '127.0.0.1:9092',
      KAFKA_STREAMER_SASL_USERNAME: 'relay',
      KAFKA_STREAMER_SASL_PASSWORD: 'pw-secret',
    },
  });

  it('hides the passwords', () => {
    const { logger, lines } = captureLogger();
    logger.info({ config: describeConfig(loaded) }, 'kafka-streamer-relay starting');

    const text = lines.join('');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('pw-secret');
  });

  it('keeps the values and their sources', () => {
    const { logger, parsed } = captureLogger();
    logger.info({ config: describeConfig(loaded) }, 'kafka-streamer-relay starting');
    const config = parsed()[0]?.config;

    expect(config.databaseUrl).toEqual({ value: 'postgres://relay:***@127.0.0.1:5432/app', source: 'cli' });
    expect(config.saslPassword).toEqual({ value: '[redacted]', source: 'env' });
    expect(config.saslUsername).toEqual({ value: 'relay', source: 'env' });
    expect(config.batchSize).toEqual({ value: 500, source: 'default' });
  });
});

describe('logger redaction paths', () => {
  it('censor secrets in any log line', () => {
    const { logger, lines, parsed } = captureLogger();
    logger.info(
      {
        databaseUrl: 'mysql://root:rootpw@127.0.0.1/db',
        kafka: { sasl: { mechanism: 'plain', password: 'sasl-pw' }, ssl: { key: 'PRIVATE KEY' } },
        database: { connection: { host: '127.0.0.1', password: 'db-pw' } },
      },
      'settings',
    );

    const text = lines.join('');
    for (const secret of ['rootpw', 'sasl-pw', 'PRIVATE KEY', 'db-pw']) expect(text).not.toContain(secret);
    const line = parsed()[0];
    expect(line?.databaseUrl).toBe('mysql://root:***@127.0.0.1/db');
    expect(line?.database.connection.host).toBe('127.0.0.1');
  });

  it('uses the fixed field names', () => {
    const { logger, parsed } = captureLogger();
    logger.error({ err: new Error('boom') }, 'failed');
    const line = parsed()[0];

    expect(line?.level).toBe('error');
    expect(line?.msg).toBe('failed');
    expect(line?.relayId).toBe('relay-1');
    expect(line?.service).toBe('kafka-streamer-relay');
    expect(typeof line?.time).toBe('string');
    expect(line?.err.message).toBe('boom');
  });
});
