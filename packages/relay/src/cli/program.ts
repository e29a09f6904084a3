import { Command, InvalidArgumentError, Option } from 'commander';
import type { LoadedConfig } from '../config/cli-config.js';
import { type CommandName, loadConfig } from '../config/load-config.js';
import { OPTION_TABLE, optionsForCommand } from '../config/option-table.js';
import type { RequeueArguments } from './commands/requeue.js';
import type { CliIo } from './io.js';
import { addTableOptions, cliValuesOf, environmentHelp } from './options.js';

const EXIT_CODE_HELP = `
Exit codes:
  0    stopped normally (SIGTERM or SIGINT, then a graceful stop), or the command succeeded
  1    runtime failure: database unreachable, migration failed, relay start or stop failed
  2    invalid usage or configuration
  130  a second SIGTERM or SIGINT forced the exit during a graceful stop`;

/** Exit code of the command that ran: its action sets it and `runCli` returns it. */
export interface ExitCodeHolder {
  code: number;
}

function load(command: CommandName, cmd: Command, io: CliIo): LoadedConfig {
  return loadConfig({ command, cli: cliValuesOf(cmd, optionsForCommand(command)), env: io.env });
}

function parseLimit(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new InvalidArgumentError(`expected a positive integer, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/**
 * Builds the commander program: `run` (the default), `migrate`, `status` and
 * `requeue`. Each action imports its command on demand, so `--help` and invalid
 * options fail fast without loading Knex, KafkaJS and prom-client.
 */
export function createProgram(io: CliIo, result: ExitCodeHolder): Command {
  const program = new Command('kafka-streamer-relay')
    .description('Publishes the kafka-streamer outbox to Kafka, at least once and in id order per key.')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `\nEvery option, with its unit and default: kafka-streamer-relay <command> --help\n` +
        `${environmentHelp(OPTION_TABLE, true)}\n${EXIT_CODE_HELP}`,
    );

  const run = program.command('run', { isDefault: true }).description('publish outbox rows until SIGTERM or SIGINT (default command)');
  addTableOptions(run, optionsForCommand('run'))
    .addHelpText('after', `${environmentHelp(optionsForCommand('run'), true)}\n${EXIT_CODE_HELP}`)
    .action(async (_options, cmd: Command) => {
      const loaded = load('run', cmd, io);
      const { runCommand } = await import('./commands/run.js');
      result.code = await runCommand(loaded);
    });

  const migrate = program.command('migrate').description('create or upgrade the outbox table and print the migrations applied');
  addTableOptions(migrate, optionsForCommand('migrate'))
    .addHelpText('after', environmentHelp(optionsForCommand('migrate'), false))
    .action(async (_options, cmd: Command) => {
      const loaded = load('migrate', cmd, io);
      const { migrateCommand } = await import('./commands/migrate.js');
      result.code = await migrateCommand(loaded, io);
    });

  const status = program.command('status').description('print pending, claimed and parked rows and the oldest pending age');
  addTableOptions(status, optionsForCommand('status'))
    .option('--json', 'print one JSON document instead of a table')
    .addOption(new Option('--limit <rows>', 'parked rows to list').argParser(parseLimit).default(100))
    .addHelpText('after', environmentHelp(optionsForCommand('status'), false))
    .action(async (options: { json?: boolean; limit: number }, cmd: Command) => {
      const loaded = load('status', cmd, io);
      const { statusCommand } = await import('./commands/status.js');
      result.code = await statusCommand(loaded, options, io);
    });

  const requeue = program.command('requeue').description('move parked rows back to pending, with attempts reset to 0');
  addTableOptions(requeue, optionsForCommand('requeue'))
    .option('--id <ids...>', 'outbox ids to requeue (space- or comma-separated)')
    .option('--all', 'requeue every parked row')
    .addHelpText('after', environmentHelp(optionsForCommand('requeue'), false))
    .action(async (options: RequeueArguments, cmd: Command) => {
      const loaded = load('requeue', cmd, io);
      const { requeueCommand } = await import('./commands/requeue.js');
      result.code = await requeueCommand(loaded, options, io);
    });

  return program;
}
