import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '@kafka-streamer/core';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl, redactUrlPassword } from '../../src/config/database-url.js';
import { type LoadConfigInput, loadConfig } from '../../src/config/load-config.js';
import { requeueSelectionOf } from '../../src/cli/commands/requeue.js';
import { runCli } from '../../src/cli/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'ks-cli-validation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const REQUIRED_ENV = { KAFKA_STREAMER_DATABASE_URL: '/tmp/outbox.db', KAFKA_STREAMER_BROKERS: '127.0.0.1:9092' };

function errorOf(input: Partial<LoadConfigInput>): ConfigurationError {
  try {
    loadConfig({ command: 'run', cli: {}, env: REQUIRED_ENV, ...input });
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to throw');
}

function capturingIo(env: Record<string, string | undefined>) {
  const output = { stdout: '', stderr: '' };
  const io = {
    env,
    stdout: (text: string) => {
      output.stdout += text;
    },
    stderr: (text: string) => {
      output.stderr += text;
    },
  };
  return { io, output };
}

describe('invalid value message', () => {
  it('names flag, value and expectation', () => {
    const error = errorOf({ cli: { batchSize: '0' } });
    expect(error.code).toBe('ERR_KS_CONFIGURATION');
    expect(error.message).toBe('invalid --batch-size "0": expected an integer from 1 to 100000');
  });

  it('names the environment variable that set it', () => {
    const error = errorOf({ env: { ...REQUIRED_ENV, KAFKA_STREAMER_POLL_INTERVAL: 'soon' } });
    expect(error.message).toBe(
      'invalid --poll-interval (set by KAFKA_STREAMER_POLL_INTERVAL) "soon": expected an integer from 1 to 3600000',
    );
  });

  it('names the config file key that set it', () => {
    const file = join(dir, 'bad-value.json');
    writeFileSync(file, JSON.stringify({ retryFactor: 0.5 }));
    const error = errorOf({ cli: { config: file } });
    expect(error.message).toBe(`invalid --retry-factor (set by "retryFactor" in ${file}) 0.5: expected a number from 1 to 100`);
  });

  it('lists every invalid value', () => {
    const error = errorOf({ cli: { batchSize: 'x', logLevel: 'loud', blockedKeyPolicy: 'drop' } });
    const lines = error.message.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines).toContain('invalid --log-level "loud": expected one of fatal, error, warn, info, debug, trace, silent');
    expect(lines).toContain('invalid --blocked-key-policy "drop": expected one of hold, skip');
  });

  it('rejects a broker without port', () => {
    const error = errorOf({ cli: { brokers: 'localhost' } });
    expect(error.message).toBe('invalid --brokers "localhost": expected a comma-separated list of host:port');
  });

  it('rejects a boolean word it does not know', () => {
    const error = errorOf({ env: { ...REQUIRED_ENV, KAFKA_STREAMER_SSL: 'maybe' } });
    expect(error.message).toContain('expected true or false');
  });

  it('rejects a missing file', () => {
    const error = errorOf({ cli: { ssl: true, sslCaFile: join(dir, 'missing.pem') } });
    expect(error.message).toContain('invalid --ssl-ca-file');
    expect(error.message).toContain('does not exist or cannot be read');
  });

  it('rejects an invalid table name', () => {
    const error = errorOf({ cli: { outboxTable: 'drop table;' } });
    expect(error.message).toContain('invalid --outbox-table "drop table;"');
  });
});

describe('required and combined settings', () => {
  it('requires the database URL', () => {
    const error = errorOf({ env: {} , command: 'migrate' });
    expect(error.message).toBe('missing --database-url: set it, KAFKA_STREAMER_DATABASE_URL, or "databaseUrl" in the config file');
  });

  it('requires brokers for run only', () => {
    const error = errorOf({ env: { KAFKA_STREAMER_DATABASE_URL: '/tmp/x.db' } });
    expect(error.message).toContain('missing --brokers');
    expect(() => loadConfig({ command: 'status', cli: {}, env: { KAFKA_STREAMER_DATABASE_URL: '/tmp/x.db' } })).not.toThrow();
  });

  it('requires --ssl for TLS files', () => {
    const pem = join(dir, 'ca.pem');
    writeFileSync(pem, 'ca');
    const error = errorOf({ cli: { sslCaFile: pem } });
    expect(error.message).toBe('--ssl-ca-file needs --ssl (or KAFKA_STREAMER_SSL=true)');
  });

  it('requires certificate and key together', () => {
    const pem = join(dir, 'cert.pem');
    writeFileSync(pem, 'cert');
    const error = errorOf({ cli: { ssl: true, sslCertFile: pem } });
    expect(error.message).toBe('--ssl-cert-file and --ssl-key-file must be set together');
  });

  it('requires user name and password for SASL', () => {
    const error = errorOf({ cli: { saslMechanism: 'plain' } });
    expect(error.message.split('\n')).toEqual([
      '--sasl-mechanism plain needs --sasl-username',
      '--sasl-mechanism plain needs a password: set KAFKA_STREAMER_SASL_PASSWORD or --sasl-password-file',
    ]);
  });

  it('rejects a SASL password without mechanism', () => {
    const error = errorOf({ env: { ...REQUIRED_ENV, KAFKA_STREAMER_SASL_PASSWORD: 'pw' } });
    expect(error.message).toBe('--sasl-username and the SASL password need --sasl-mechanism');
  });

  it('rejects an initial retry delay above the cap', () => {
    const error = errorOf({ cli: { retryInitialDelay: '5000', retryMaxDelay: '1000' } });
    expect(error.message).toBe('--retry-initial-delay 5000 must not exceed --retry-max-delay 1000');
  });

  it('rejects an unknown URL scheme', () => {
    const error = errorOf({ cli: { databaseUrl: 'oracle://db/x' } });
    expect(error.message).toContain('invalid --database-url scheme "oracle:"');
  });
});

describe('config file errors', () => {
  it('rejects unknown keys', () => {
    const file = join(dir, 'unknown.json');
    writeFileSync(file, JSON.stringify({ batchsize: 10 }));
    const error = errorOf({ cli: { config: file } });
    expect(error.message).toContain('unknown setting "batchsize"');
  });

  it('rejects invalid JSON', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ "batchSize": ');
    const error = errorOf({ cli: { config: file } });
    expect(error.message).toContain(`invalid config file ${file}`);
  });

  it('keeps a JSON error on one line', () => {
    const file = join(dir, 'multiline.json');
    writeFileSync(file, 'not json\n{\n');
    const error = errorOf({ cli: { config: file } });
    expect(error.message).toContain(`invalid config file ${file}`);
    expect(error.message).not.toContain('\n');
  });

  it('rejects the config key inside the file', () => {
    const file = join(dir, 'nested.json');
    writeFileSync(file, JSON.stringify({ config: 'other.json' }));
    const error = errorOf({ cli: { config: file } });
    expect(error.message).toContain('unknown setting "config"');
  });
});

describe('database URL', () => {
  it('infers the client from the scheme', () => {
    expect(parseDatabaseUrl('postgres://u@h/db').client).toBe('pg');
    expect(parseDatabaseUrl('postgresql://u@h/db').client).toBe('pg');
    expect(parseDatabaseUrl('mysql://u@h/db').client).toBe('mysql2');
    expect(parseDatabaseUrl('mariadb://u@h/db').client).toBe('mysql2');
    expect(parseDatabaseUrl('sqlite:///var/lib/outbox.db')).toEqual({
      client: 'better-sqlite3',
      connection: { filename: '/var/lib/outbox.db' },
    });
    expect(parseDatabaseUrl('./outbox.db')).toEqual({ client: 'better-sqlite3', connection: { filename: './outbox.db' } });
  });

  it('lets --database-client override the scheme', () => {
    expect(parseDatabaseUrl('custom://u@h/db', 'mysql2').client).toBe('mysql2');
  });

  it('redacts the password', () => {
    expect(redactUrlPassword('postgres://relay:hunter2@db:5432/app')).toBe('postgres://relay:***@db:5432/app');
    expect(redactUrlPassword('mysql://root@db/app')).toBe('mysql://root@db/app');
    expect(redactUrlPassword('/var/lib/outbox.db')).toBe('/var/lib/outbox.db');
  });
});

describe('requeue arguments', () => {
  it('accepts ids separated by spaces or commas', () => {
    expect(requeueSelectionOf({ id: ['3,4', '5', '003'] })).toEqual({ ids: ['3', '4', '5'] });
  });

  it('takes --all alone', () => {
    expect(requeueSelectionOf({ all: true })).toEqual({ all: true });
    expect(() => requeueSelectionOf({ all: true, id: ['1'] })).toThrow('requeue takes --id or --all, not both');
  });

  it('rejects ids that are not integers', () => {
    expect(() => requeueSelectionOf({ id: ['7', 'x'] })).toThrow('invalid --id "x": expected outbox ids');
    expect(() => requeueSelectionOf({ id: ['99999999999999999999999'] })).toThrow('invalid --id "99999999999999999999999"');
    expect(requeueSelectionOf({ id: ['9223372036854775807'] })).toEqual({ ids: ['9223372036854775807'] });
  });
});

describe('--ssl flag', () => {
  it('alone means true and takes false', async () => {
    const { io } = capturingIo({ KAFKA_STREAMER_DATABASE_URL: '/tmp/x.db', KAFKA_STREAMER_SSL: 'true' });
    const file = join(dir, 'ca-flag.pem');
    writeFileSync(file, 'ca');

    // --ssl false overrides the environment, so the CA file is rejected for lack of TLS.
    const code = await runCli(['node', 'relay', 'run', '--brokers', 'nope', '--ssl', 'false', '--ssl-ca-file', file], io);
    expect(code).toBe(2);

    const loaded = loadConfig({ command: 'run', cli: { ssl: true }, env: REQUIRED_ENV });
    expect(loaded.values.ssl).toBe(true);
    const off = loadConfig({ command: 'run', cli: { ssl: 'false' }, env: { ...REQUIRED_ENV, KAFKA_STREAMER_SSL: 'true' } });
    expect(off.values.ssl).toBe(false);
    expect(off.sources.ssl).toBe('cli');
  });
});

describe('runCli usage errors', () => {
  it('exits 2 for an unknown option', async () => {
    const { io, output } = capturingIo({});
    expect(await runCli(['node', 'relay', 'status', '--bogus'], io)).toBe(2);
    expect(output.stderr).toContain("unknown option '--bogus'");
  });

  it('exits 2 for an invalid value', async () => {
    const { io, output } = capturingIo(REQUIRED_ENV);
    expect(await runCli(['node', 'relay', 'run', '--batch-size', '-1'], io)).toBe(2);
    expect(output.stderr).toBe(
      'error: invalid --batch-size "-1": expected an integer from 1 to 100000 [ERR_KS_CONFIGURATION]\n',
    );
  });

  it('exits 2 for a status limit of 0', async () => {
    const { io, output } = capturingIo(REQUIRED_ENV);
    expect(await runCli(['node', 'relay', 'status', '--limit', '0'], io)).toBe(2);
    expect(output.stderr).toContain('expected a positive integer, got "0"');
  });

  it('leaves no file behind a missing SQLite path', async () => {
    const { io, output } = capturingIo({});
    const file = join(dir, 'missing.db');
    expect(await runCli(['node', 'relay', 'status', '--database-url', file], io)).toBe(1);
    expect(output.stderr).toContain(`SQLite database file ${file} not found`);
    expect(existsSync(file)).toBe(false);
  });

  it('exits 2 for requeue without ids', async () => {
    const { io, output } = capturingIo(REQUIRED_ENV);
    expect(await runCli(['node', 'relay', 'requeue'], io)).toBe(2);
    expect(output.stderr).toContain('requeue needs --id <id...> or --all');
  });

  it('exits 0 for help', async () => {
    const { io, output } = capturingIo({});
    expect(await runCli(['node', 'relay', '--help'], io)).toBe(0);
    expect(output.stdout).toContain('Usage: kafka-streamer-relay');
  });

  it('routes options without a command to run', async () => {
    const { io, output } = capturingIo({ KAFKA_STREAMER_DATABASE_URL: '/tmp/x.db' });
    expect(await runCli(['node', 'relay', '--brokers', 'nope'], io)).toBe(2);
    expect(output.stderr).toContain('invalid --brokers "nope"');
  });
});
