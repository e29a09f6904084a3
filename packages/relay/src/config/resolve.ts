import { ConfigurationError } from '@kafka-streamer/core';
import type { OptionSpec } from './option-table.js';
import { InvalidValue, parseValue } from './parse-value.js';

/** Source of an effective value; the list runs from highest precedence to lowest. */
export type ValueSource = 'cli' | 'env' | 'file' | 'default';

/** Raw settings from each layer, before parsing. */
export interface ConfigLayers {
  /** Values the command line set, by option key; absent keys were not given. */
  readonly cli: Readonly<Record<string, unknown>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The parsed config file, if one was given. */
  readonly file?: { readonly path: string; readonly values: Readonly<Record<string, unknown>> };
}

export interface ResolvedValues {
  /** Effective value by option key; options with no value and no default are absent. */
  readonly values: Readonly<Record<string, unknown>>;
  readonly sources: Readonly<Record<string, ValueSource>>;
}

interface RawValue {
  readonly raw: unknown;
  readonly source: ValueSource;
  /** Setting that supplied the value, for error messages: the flag, the environment variable, or the file key. */
  readonly origin: string;
}

/** Picks the layer that sets an option: command line > environment > config file > default. */
function pickRaw(option: OptionSpec, layers: ConfigLayers): RawValue | undefined {
  const cli = layers.cli[option.key];
  if (cli !== undefined) return { raw: cli, source: 'cli', origin: option.flag };

  // An empty variable counts as unset, as with `KAFKA_STREAMER_X= command`.
  const env = layers.env[option.env];
  if (env !== undefined && env !== '') return { raw: env, source: 'env', origin: option.env };

  const file = layers.file;
  if (file !== undefined && !option.notInFile && file.values[option.key] !== undefined) {
    return { raw: file.values[option.key], source: 'file', origin: `"${option.key}" in ${file.path}` };
  }

  if (option.default !== undefined) return { raw: option.default, source: 'default', origin: `default of ${option.flag}` };
  return undefined;
}

function describeRaw(raw: unknown): string {
  return typeof raw === 'string' ? JSON.stringify(raw) : String(JSON.stringify(raw) ?? raw);
}

/** Builds the message for a value that failed to parse: the option, where it was set, the value and what fits. */
export function invalidValueMessage(option: OptionSpec, picked: RawValue, expected: string): string {
  const where = picked.origin === option.flag ? option.flag : `${option.flag} (set by ${picked.origin})`;
  return `invalid ${where} ${describeRaw(picked.raw)}: expected ${expected}`;
}

/**
 * Resolves every option from its layers and parses it. Collects all invalid
 * values and throws one ConfigurationError that lists them, one per line.
 */
export function resolveValues(options: readonly OptionSpec[], layers: ConfigLayers): ResolvedValues {
  const values: Record<string, unknown> = {};
  const sources: Record<string, ValueSource> = {};
  const problems: string[] = [];

  for (const option of options) {
    const picked = pickRaw(option, layers);
    if (picked === undefined) continue;

    try {
      values[option.key] = parseValue(option.kind, picked.raw);
      sources[option.key] = picked.source;
    } catch (error) {
      if (!(error instanceof InvalidValue)) throw error;
      problems.push(invalidValueMessage(option, picked, error.expected));
    }
  }

  if (problems.length > 0) throw new ConfigurationError(problems.join('\n'));
  return { values, sources };
}
