import { beforeAll, describe, expect, it } from 'vitest';
import { OPTION_TABLE, optionsForCommand, SASL_PASSWORD_ENV } from '../../src/config/option-table.js';
import { type CliResult, requireBuiltCli, runCliProcess } from './support/cli-process.js';

describe('kafka-streamer-relay --help', () => {
  let help: CliResult;
  let runHelp: CliResult;

  beforeAll(async () => {
    requireBuiltCli();
    [help, runHelp] = await Promise.all([runCliProcess(['--help']), runCliProcess(['run', '--help'])]);
  });

  it('exits 0', () => {
    expect(help.code).toBe(0);
    expect(runHelp.code).toBe(0);
  });

  it('lists every environment twin', () => {
    for (const option of OPTION_TABLE) expect(help.stdout).toContain(option.env);
    expect(help.stdout).toContain(SASL_PASSWORD_ENV);
  });

  it('lists the commands and exit codes', () => {
    for (const command of ['run', 'migrate', 'status', 'requeue']) expect(help.stdout).toContain(command);
    expect(help.stdout).toContain('130');
  });

  it('run help shows each flag with default and env', () => {
    const text = runHelp.stdout.replace(/\s+/g, ' ');
    for (const option of OPTION_TABLE) {
      expect(text).toContain(option.flag);
      expect(text).toContain(`env: ${option.env}`);
    }
    expect(text).toContain('(default: 500, env: KAFKA_STREAMER_BATCH_SIZE)');
    expect(text).toContain('in milliseconds (default: 500, env: KAFKA_STREAMER_POLL_INTERVAL)');
  });

  it('migrate help shows only database options', async () => {
    const migrateHelp = await runCliProcess(['migrate', '--help']);
    const text = migrateHelp.stdout.replace(/\s+/g, ' ');
    for (const option of optionsForCommand('migrate')) expect(text).toContain(`env: ${option.env}`);
    expect(text).not.toContain('--brokers');
  });
});
