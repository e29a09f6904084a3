import type { LoadedConfig } from './cli-config.js';
import { redactUrlPassword } from './database-url.js';
import type { ValueSource } from './resolve.js';

export interface DescribedValue {
  readonly value: unknown;
  /** cli, env, file (the config file) or default; the SASL password has env or password-file. */
  readonly source: ValueSource | 'password-file';
}

/**
 * Describes the effective configuration for the start log line: each value with where it
 * came from. The database URL loses its password and the SASL password is
 * replaced, so the result is safe to log even without the logger's redaction.
 */
export function describeConfig(loaded: LoadedConfig): Record<string, DescribedValue> {
  const described: Record<string, DescribedValue> = {};

  for (const [key, value] of Object.entries(loaded.values)) {
    const source = loaded.sources[key] ?? 'default';
    const loggable = key === 'databaseUrl' && typeof value === 'string' ? redactUrlPassword(value) : value;
    described[key] = { value: loggable, source };
  }

  if (loaded.saslPassword !== undefined) {
    const source = loaded.values.saslPasswordFile === undefined ? 'env' : 'password-file';
    described.saslPassword = { value: '[redacted]', source };
  }
  return described;
}
