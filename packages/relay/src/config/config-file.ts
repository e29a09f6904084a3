import { readFileSync } from 'node:fs';
import { ConfigurationError } from '@kafka-streamer/core';
import type { OptionSpec } from './option-table.js';

/**
 * Reads the JSON config file: one object keyed by camelCase option names, for
 * example `{ "databaseUrl": "postgres://…", "batchSize": 200 }`. Unknown keys are
 * rejected so that a misspelt setting never falls back to its default silently.
 */
export function readConfigFile(path: string, options: readonly OptionSpec[]): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigurationError(`cannot read config file ${path}: ${(error as Error).message}`, { cause: error });
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // The CLI prints one error line per line of the message, and V8's JSON.parse
    // messages quote the input, newlines included.
    const detail = (error as Error).message.replace(/\s*\n\s*/g, ' ');
    throw new ConfigurationError(`invalid config file ${path}: ${detail}`, { cause: error });
  }

  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigurationError(`invalid config file ${path}: expected a JSON object of settings`);
  }

  const allowed = options.filter((option) => !option.notInFile).map((option) => option.key);
  const unknown = Object.keys(parsed).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    throw new ConfigurationError(
      `invalid config file ${path}: unknown setting ${unknown.map((key) => JSON.stringify(key)).join(', ')}; ` +
        `expected one of ${allowed.join(', ')}`,
    );
  }
  return parsed as Record<string, unknown>;
}
