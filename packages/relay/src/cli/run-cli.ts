import { ConfigurationError, KafkaStreamerError } from '@kafka-streamer/core';
import { CommanderError } from 'commander';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import type { CliIo } from './io.js';
import { type ExitCodeHolder, createProgram } from './program.js';

// Commander codes that end a successful run: help and version output.
const COMMANDER_SUCCESS = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

// One "error:" line per problem, since a ConfigurationError lists every invalid value on its own line.
function errorLines(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof KafkaStreamerError ? ` [${error.code}]` : '';
  return `${message.split('\n').map((line) => `error: ${line}${code}`).join('\n')}\n`;
}

/**
 * Parses `argv` (as in process.argv, two leading entries) and runs the command.
 * Resolves with the process exit code; never throws.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const result: ExitCodeHolder = { code: EXIT_OK };
  const program = createProgram(io, result);
  program.exitOverride();
  for (const command of [program, ...program.commands]) {
    command.exitOverride();
    command.configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  }

  try {
    await program.parseAsync([...argv]);
    return result.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its message already.
      return COMMANDER_SUCCESS.has(error.code) ? EXIT_OK : EXIT_USAGE;
    }
    io.stderr(errorLines(error));
    return error instanceof ConfigurationError ? EXIT_USAGE : EXIT_FAILURE;
  }
}
