import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { envNameOf, OPTION_TABLE, type OptionSpec } from '../../src/config/option-table.js';

const dir = mkdtempSync(join(tmpdir(), 'ks-cli-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const REQUIRED_ENV = { KAFKA_STREAMER_DATABASE_URL: '/tmp/outbox.db', KAFKA_STREAMER_BROKERS: '127.0.0.1:9092' };

function writeJson(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

function writeText(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('config precedence', () => {
  const file = writeJson('layers.json', { batchSize: 300, pollInterval: 300, logLevel: 'warn', maxAttempts: 7 });

  const loaded = loadConfig({
    command: 'run',
    cli: { batchSize: '100', config: file },
    env: { ...REQUIRED_ENV, KAFKA_STREAMER_BATCH_SIZE: '200', KAFKA_STREAMER_POLL_INTERVAL: '200', KAFKA_STREAMER_LOG_LEVEL: 'debug' },
  });

  it('command line wins over environment and file', () => {
    expect(loaded.values.batchSize).toBe(100);
    expect(loaded.sources.batchSize).toBe('cli');
  });

  it('environment wins over file', () => {
    expect(loaded.values.pollInterval).toBe(200);
    expect(loaded.sources.pollInterval).toBe('env');
    expect(loaded.values.logLevel).toBe('debug');
    expect(loaded.sources.logLevel).toBe('env');
  });

  it('file wins over default', () => {
    expect(loaded.values.maxAttempts).toBe(7);
    expect(loaded.sources.maxAttempts).toBe('file');
  });

  it('default applies when no layer sets a value', () => {
    expect(loaded.values.retryFactor).toBe(2);
    expect(loaded.sources.retryFactor).toBe('default');
    expect(loaded.values.takeoverTime).toBe(30_000);
  });

  it('options without a default stay unset', () => {
    expect(loaded.values.metricsPort).toBeUndefined();
    expect(loaded.sources.metricsPort).toBeUndefined();
  });

  it('records the config file path from the command line', () => {
    expect(loaded.values.config).toBe(file);
    expect(loaded.sources.config).toBe('cli');
  });
});

describe('config file', () => {
  it('is found through KAFKA_STREAMER_CONFIG', () => {
    const file = writeJson('from-env.json', { batchSize: 42, brokers: ['127.0.0.1:1', '127.0.0.1:2'] });
    const loaded = loadConfig({
      command: 'run',
      cli: {},
      env: { KAFKA_STREAMER_DATABASE_URL: '/tmp/x.db', KAFKA_STREAMER_CONFIG: file },
    });

    expect(loaded.values.batchSize).toBe(42);
    expect(loaded.values.brokers).toEqual(['127.0.0.1:1', '127.0.0.1:2']);
    expect(loaded.sources.brokers).toBe('file');
    expect(loaded.sources.config).toBe('env');
  });

  it('takes booleans and strings for boolean options', () => {
    const file = writeJson('booleans.json', { ssl: true, sslRejectUnauthorized: 'false' });
    const loaded = loadConfig({ command: 'run', cli: { config: file }, env: REQUIRED_ENV });

    expect(loaded.values.ssl).toBe(true);
    expect(loaded.values.sslRejectUnauthorized).toBe(false);
  });

  it('is ignored for keys the command line sets', () => {
    const file = writeJson('database.json', { databaseUrl: 'postgres://file@127.0.0.1/db' });
    const loaded = loadConfig({ command: 'migrate', cli: { config: file, databaseUrl: '/tmp/cli.db' }, env: {} });

    expect(loaded.values.databaseUrl).toBe('/tmp/cli.db');
    expect(loaded.sources.databaseUrl).toBe('cli');
  });
});

describe('empty environment variable', () => {
  it('counts as unset', () => {
    const loaded = loadConfig({ command: 'run', cli: {}, env: { ...REQUIRED_ENV, KAFKA_STREAMER_BATCH_SIZE: '' } });

    expect(loaded.values.batchSize).toBe(500);
    expect(loaded.sources.batchSize).toBe('default');
  });
});

describe('sasl password', () => {
  const base = { ...REQUIRED_ENV, KAFKA_STREAMER_SASL_MECHANISM: 'scram-sha-256', KAFKA_STREAMER_SASL_USERNAME: 'relay' };

  it('comes from KAFKA_STREAMER_SASL_PASSWORD', () => {
    const loaded = loadConfig({ command: 'run', cli: {}, env: { ...base, KAFKA_STREAMER_SASL_PASSWORD: 's3cret' } });
    expect(loaded.saslPassword).toBe('s3cret');
  });

  it('comes from --sasl-password-file without its trailing newline', () => {
    const file = writeText('password.txt', 'from-file\n');
    const loaded = loadConfig({ command: 'run', cli: { saslPasswordFile: file }, env: base });
    expect(loaded.saslPassword).toBe('from-file');
  });
});

// A valid raw value per option, to set each option through its environment variable.
function sampleValue(option: OptionSpec): string {
  const readable = writeText(`${option.key}.txt`, 'content');
  switch (option.kind.type) {
    case 'integer':
      return String(typeof option.default === 'number' ? option.default + 1 : option.kind.min + 1);
    case 'number':
      return String(typeof option.default === 'number' ? option.default + 0.5 : option.kind.min + 0.5);
    case 'boolean':
      return 'true';
    case 'enum':
      return option.kind.values[option.kind.values.length - 1] ?? '';
    case 'list':
      return '127.0.0.1:9092,localhost:9093';
    case 'file':
      return option.key === 'config' ? writeJson('empty.json', {}) : readable;
    case 'identifier':
      return 'outbox_x';
    case 'string':
      return option.key === 'databaseUrl' ? 'postgres://u@127.0.0.1:5432/db' : 'text-value';
  }
}

describe('environment twins', () => {
  it.each(OPTION_TABLE.map((option) => [option.flag, option] as const))('%s has its KAFKA_STREAMER_ twin', (_flag, option) => {
    expect(option.env).toBe(envNameOf(option.flag));
    expect(option.env.startsWith('KAFKA_STREAMER_')).toBe(true);
    expect(option.key).toBe(option.flag.slice(2).replace(/-([a-z])/g, (_m, letter: string) => letter.toUpperCase()));
  });

  it.each(OPTION_TABLE.map((option) => [option.env, option] as const))('%s sets its option', (_env, option) => {
    const raw = sampleValue(option);
    const env: Record<string, string> = { ...REQUIRED_ENV, [option.env]: raw };
    // TLS files need TLS, and SASL settings need each other; they are checked together.
    if (option.key.startsWith('ssl') && option.key !== 'ssl') env.KAFKA_STREAMER_SSL = 'true';
    if (option.key === 'sslCertFile' || option.key === 'sslKeyFile') {
      env.KAFKA_STREAMER_SSL_CERT_FILE = raw;
      env.KAFKA_STREAMER_SSL_KEY_FILE = raw;
    }
    if (option.key.startsWith('sasl')) {
      env.KAFKA_STREAMER_SASL_MECHANISM ??= 'plain';
      env.KAFKA_STREAMER_SASL_USERNAME ??= 'relay';
      if (option.key !== 'saslPasswordFile') env.KAFKA_STREAMER_SASL_PASSWORD = 'pw';
    }

    const loaded = loadConfig({ command: 'run', cli: {}, env });

    expect(loaded.sources[option.key]).toBe('env');
    expect(loaded.values[option.key as keyof typeof loaded.values]).toBeDefined();
  });
});
