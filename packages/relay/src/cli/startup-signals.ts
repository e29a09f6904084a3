// Commands other than `run`; `run` is also the default when no command is given.
const OTHER_COMMANDS = new Set(['migrate', 'status', 'requeue', 'help']);

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

let removeHandlers: (() => void) | undefined;

function isRunCommand(argv: readonly string[]): boolean {
  return !argv.slice(2).some((arg) => OTHER_COMMANDS.has(arg));
}

/**
 * Makes SIGTERM and SIGINT end `run` with exit code 0 while the CLI is still loading,
 * before the run command installs its own handlers. Without it, a signal in the
 * first few hundred ms killed the process with 143 or 130. Other commands keep the
 * default behaviour, so an interrupted migration never reports success.
 */
export function exitOnStartupSignals(argv: readonly string[]): void {
  if (!isRunCommand(argv) || removeHandlers !== undefined) return;

  const onSignal = (signal: NodeJS.Signals) => {
    const line = { level: 30, time: new Date().toISOString(), service: 'kafka-streamer-relay', pid: process.pid, signal };
    process.stdout.write(`${JSON.stringify({ ...line, msg: `${signal} received during start-up; exiting` })}\n`);
    process.exit(0);
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  removeHandlers = () => {
    for (const signal of SIGNALS) process.off(signal, onSignal);
  };
}

/** Removes the start-up handlers; the run command calls it once its own handlers are on. */
export function stopExitingOnStartupSignals(): void {
  removeHandlers?.();
  removeHandlers = undefined;
}
