import type { Logger } from 'pino';
import type { Relay } from './relay.js';

/** Exit code after a second signal cut a graceful stop short: 128 + SIGINT's number. */
export const FORCED_EXIT_CODE = 130;

export interface SignalHandlerOptions {
  /** Grace period in ms passed to `relay.stop()`. Default: the relay's `shutdownGraceMs`. */
  readonly graceMs?: number;
  /** Interval in ms of the log line that reports what is still pending. Default 5000. */
  readonly watchdogIntervalMs?: number;
  /** Called to end the process; default `process.exit`. */
  readonly exit?: (code: number) => void;
}

/**
 * Installs SIGTERM and SIGINT handlers. The first signal stops the relay gracefully
 * and exits 0 (1 if stop failed); a second signal exits at once with code 130. While
 * stopping, an unref'd timer logs that the stop is still pending, so a hang shows
 * in the logs. Returns a function that removes the handlers.
 */
export function installSignalHandlers(relay: Relay, logger: Logger, options: SignalHandlerOptions = {}): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const intervalMs = options.watchdogIntervalMs ?? 5000;
  let stopping = false;

  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, `second ${signal} received; exiting at once with code ${FORCED_EXIT_CODE}`);
      exit(FORCED_EXIT_CODE);
      return;
    }
    stopping = true;
    logger.info({ signal }, `${signal} received; stopping the relay (send it again to force exit)`);

    const startedAt = Date.now();
    const watchdog = setInterval(() => {
      logger.warn(
        { waitedMs: Date.now() - startedAt, pendingHandles: process.getActiveResourcesInfo() },
        'relay stop still pending',
      );
    }, intervalMs);
    watchdog.unref();

    const stopOptions = options.graceMs === undefined ? {} : { graceMs: options.graceMs };
    relay.stop(stopOptions).then(
      () => {
        clearInterval(watchdog);
        exit(0);
      },
      (error: unknown) => {
        clearInterval(watchdog);
        logger.error({ err: error }, 'relay stop failed');
        exit(1);
      },
    );
  };

  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
}
