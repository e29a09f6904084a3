import { type Command, Option } from 'commander';
import { type OptionSpec, SASL_PASSWORD_ENV } from '../config/option-table.js';

function defaultText(spec: OptionSpec): string | undefined {
  if (spec.defaultText !== undefined) return spec.defaultText;
  if (spec.default === undefined) return undefined;
  return String(spec.default);
}

/** Returns the help line of an option: its description, then default and environment variable. */
export function helpDescription(spec: OptionSpec): string {
  const fallback = defaultText(spec);
  const details = fallback === undefined ? `env: ${spec.env}` : `default: ${fallback}, env: ${spec.env}`;
  return `${spec.description} (${details})`;
}

/**
 * Adds the table's options to a command. Commander sets no defaults and reads no
 * environment: the config layer applies both, so that a value's source is known.
 */
export function addTableOptions(command: Command, specs: readonly OptionSpec[]): Command {
  for (const spec of specs) {
    const flags = spec.placeholder === undefined ? spec.flag : `${spec.flag} ${spec.placeholder}`;
    command.addOption(new Option(flags, helpDescription(spec)));
  }
  return command;
}

/** Values the command line set, by option key; commander stores them under the camelCase key. */
export function cliValuesOf(command: Command, specs: readonly OptionSpec[]): Record<string, unknown> {
  const parsed = command.opts();
  const values: Record<string, unknown> = {};
  for (const spec of specs) {
    if (parsed[spec.key] !== undefined) values[spec.key] = parsed[spec.key];
  }
  return values;
}

/** Help text after the option list: the variables without a flag and the config file. */
export function environmentHelp(specs: readonly OptionSpec[], includePassword: boolean): string {
  const lines = ['', 'Environment variables (command line > environment > config file > default):'];
  const width = Math.max(...specs.map((spec) => spec.env.length), SASL_PASSWORD_ENV.length) + 2;
  for (const spec of specs) lines.push(`  ${spec.env.padEnd(width)}${spec.flag}`);
  if (includePassword) lines.push(`  ${SASL_PASSWORD_ENV.padEnd(width)}SASL password (no flag, so it never shows in ps)`);
  return lines.join('\n');
}
