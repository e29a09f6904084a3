import { readFileSync } from 'node:fs';
import { ConfigurationError } from '@kafka-streamer/core';
import type { CliConfig, LoadedConfig } from './cli-config.js';
import { readConfigFile } from './config-file.js';
import { parseDatabaseUrl } from './database-url.js';
import { findOption, OPTION_TABLE, optionsForCommand, SASL_PASSWORD_ENV } from './option-table.js';
import { type ConfigLayers, resolveValues } from './resolve.js';

export type CommandName = 'run' | 'migrate' | 'status' | 'requeue';

export interface LoadConfigInput {
  readonly command: CommandName;
  /** Values given on the command line, by option key. */
  readonly cli: Readonly<Record<string, unknown>>;
  readonly env: Readonly<Record<string, string | undefined>>;
}

function readPasswordFile(path: string): string {
  // One trailing newline is part of how files are written, not of the password.
  return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
}

function checkRequired(command: CommandName, config: CliConfig): string[] {
  const problems: string[] = [];
  if (config.databaseUrl === undefined) {
    const option = findOption('databaseUrl');
    problems.push(`missing ${option.flag}: set it, ${option.env}, or "databaseUrl" in the config file`);
  } else {
    problems.push(...checkDatabaseUrl(config));
  }
  if (command === 'run' && config.brokers === undefined) {
    const option = findOption('brokers');
    problems.push(`missing ${option.flag}: set it, ${option.env}, or "brokers" in the config file`);
  }
  return problems;
}

function checkDatabaseUrl(config: CliConfig): string[] {
  try {
    parseDatabaseUrl(config.databaseUrl, config.databaseClient);
    return [];
  } catch (error) {
    if (error instanceof ConfigurationError) return [error.message];
    throw error;
  }
}

function checkTls(config: CliConfig): string[] {
  const problems: string[] = [];
  const files = (['sslCaFile', 'sslCertFile', 'sslKeyFile'] as const).filter((key) => config[key] !== undefined);
  for (const key of files) {
    if (config.ssl !== true) problems.push(`${findOption(key).flag} needs --ssl (or KAFKA_STREAMER_SSL=true)`);
  }
  if ((config.sslCertFile === undefined) !== (config.sslKeyFile === undefined)) {
    problems.push('--ssl-cert-file and --ssl-key-file must be set together');
  }
  return problems;
}

function checkSasl(config: CliConfig, env: LoadConfigInput['env']): string[] {
  const problems: string[] = [];
  const envPassword = env[SASL_PASSWORD_ENV];
  const hasEnvPassword = envPassword !== undefined && envPassword !== '';
  const hasPassword = hasEnvPassword || config.saslPasswordFile !== undefined;

  if (hasEnvPassword && config.saslPasswordFile !== undefined) {
    problems.push(`set either ${SASL_PASSWORD_ENV} or --sasl-password-file, not both`);
  }
  if (config.saslMechanism === undefined) {
    if (config.saslUsername !== undefined || hasPassword) {
      problems.push('--sasl-username and the SASL password need --sasl-mechanism');
    }
    return problems;
  }
  if (config.saslUsername === undefined) problems.push(`--sasl-mechanism ${config.saslMechanism} needs --sasl-username`);
  if (!hasPassword) {
    problems.push(`--sasl-mechanism ${config.saslMechanism} needs a password: set ${SASL_PASSWORD_ENV} or --sasl-password-file`);
  }
  return problems;
}

function checkRetry(config: CliConfig): string[] {
  const { retryInitialDelay, retryMaxDelay } = config;
  if (retryInitialDelay === undefined || retryMaxDelay === undefined || retryInitialDelay <= retryMaxDelay) return [];
  return [`--retry-initial-delay ${retryInitialDelay} must not exceed --retry-max-delay ${retryMaxDelay}`];
}

/**
 * Loads the settings of one command: command line > environment > config file >
 * default. Validates every value once and throws one ConfigurationError that
 * lists every problem, so a bad start-up fails before anything connects.
 */
export function loadConfig(input: LoadConfigInput): LoadedConfig {
  const configOption = findOption('config');
  const located = resolveValues([configOption], { cli: input.cli, env: input.env });
  const configPath = located.values.config as string | undefined;

  const layers: ConfigLayers =
    configPath === undefined
      ? { cli: input.cli, env: input.env }
      : { cli: input.cli, env: input.env, file: { path: configPath, values: readConfigFile(configPath, OPTION_TABLE) } };

  const resolved = resolveValues(optionsForCommand(input.command), layers);
  const values = resolved.values as unknown as CliConfig;

  const problems = [...checkRequired(input.command, values)];
  if (input.command === 'run') problems.push(...checkTls(values), ...checkSasl(values, input.env), ...checkRetry(values));
  if (problems.length > 0) throw new ConfigurationError(problems.join('\n'));

  const envPassword = input.env[SASL_PASSWORD_ENV];
  let saslPassword: string | undefined;
  if (values.saslMechanism !== undefined) {
    saslPassword = values.saslPasswordFile !== undefined ? readPasswordFile(values.saslPasswordFile) : envPassword;
  }

  return saslPassword === undefined
    ? { values, sources: resolved.sources }
    : { values, sources: resolved.sources, saslPassword };
}
