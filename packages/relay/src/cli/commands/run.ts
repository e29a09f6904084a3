import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ConfigurationError } from '@kafka-streamer/core';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { CliConfig, LoadedConfig } from '../../config/cli-config.js';
import { describeConfig } from '../../config/describe-config.js';
import { toRelayOptions } from '../../config/relay-options.js';
import { Readiness } from '../../http/readiness.js';
import { type HealthServer, type HealthServerOptions, startHealthServer } from '../../http/server.js';
import { observeRelay } from '../../metrics/relay-listeners.js';
import { createRelayMetrics } from '../../metrics/registry.js';
import { type StatusPoller, startStatusPoller } from '../../metrics/status-poller.js';
import { createRelay, type Relay } from '../../relay.js';
import { FORCED_EXIT_CODE, installSignalHandlers } from '../../signals.js';
import { checkConnection, checkOutboxTable, checkSqliteFile, openDatabase, outboxOf } from '../database.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { createCliLogger } from '../logger.js';
import { stopExitingOnStartupSignals } from '../startup-signals.js';
import { knexLog } from '../../database.js';

interface Resources {
  knex?: Knex;
  relay?: Relay;
  poller?: StatusPoller;
  server?: HealthServer;
  uninstallSignals?: () => void;
}

function defaultRelayId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

// A claim lease is the longest a healthy relay goes without a finished poll,
// unless its poll interval is longer still.
function readinessWindowMs(loaded: LoadedConfig): number {
  const config = loaded.values;
  return Math.max(config.takeoverTime ?? 30_000, 3 * (config.pollInterval ?? 500));
}

// The signal handlers stay until the end, so that a second signal still forces the exit with 130.
async function release(resources: Resources, logger: Logger): Promise<void> {
  await resources.poller?.stop();
  if (resources.server !== undefined) {
    await resources.server.close().catch((error: unknown) => logger.warn({ err: error }, 'closing the metrics server failed'));
  }
  await resources.knex?.destroy();
  resources.uninstallSignals?.();
}

/** Starts the metrics and health server when `--metrics-port` is set; logs the port it got. */
async function startServer(config: CliConfig, options: Omit<HealthServerOptions, 'host' | 'port'>): Promise<HealthServer | undefined> {
  if (config.metricsPort === undefined) return undefined;

  const server = await startHealthServer({ ...options, host: config.metricsHost ?? '127.0.0.1', port: config.metricsPort });
  options.logger.info({ host: server.host, port: server.port, paths: ['/metrics', '/healthz', '/readyz'] }, 'metrics server listening');
  return server;
}

/**
 * Runs the relay until SIGTERM or SIGINT. Resolves with the exit code: 0 after
 * a graceful stop, 1 when start-up or the stop failed, 2 when the engine rejects
 * an option. A second signal ends the process at once with 130.
 */
export async function runCommand(loaded: LoadedConfig): Promise<number> {
  const config = loaded.values;
  const relayId = config.relayId ?? defaultRelayId();
  const sources = { ...loaded.sources, relayId: loaded.sources.relayId ?? 'default' };
  // The engine adds relayId to its own lines; the CLI's lines get it from this child.
  const rootLogger = createCliLogger({ level: config.logLevel, fd: 1 });
  const logger = rootLogger.child({ relayId });
  const resources: Resources = {};

  logger.info({ config: describeConfig({ ...loaded, values: { ...config, relayId }, sources }) }, 'kafka-streamer-relay starting');

  // Until the relay's own handlers are installed nothing is claimed, so a signal ends the start-up at once.
  const onEarlySignal = (signal: NodeJS.Signals) => {
    logger.info({ signal }, `${signal} received before the relay started; exiting`);
    process.exit(EXIT_OK);
  };
  process.once('SIGTERM', onEarlySignal);
  process.once('SIGINT', onEarlySignal);
  stopExitingOnStartupSignals();
  const removeEarlyHandlers = () => {
    process.off('SIGTERM', onEarlySignal);
    process.off('SIGINT', onEarlySignal);
  };

  try {
    const outbox = outboxOf(config);
    checkSqliteFile(config);
    resources.knex = openDatabase(config, 10, knexLog(logger));
    const relay = createRelay(toRelayOptions(loaded, { knex: resources.knex, logger: rootLogger, relayId }));
    resources.relay = relay;

    await checkConnection(resources.knex);
    await checkOutboxTable(resources.knex, outbox);

    const metrics = createRelayMetrics();
    const readiness = new Readiness(readinessWindowMs(loaded));
    observeRelay(relay, metrics);
    readiness.track(relay);

    resources.poller = startStatusPoller({ knex: resources.knex, outbox, metrics, intervalMs: config.statusInterval ?? 5000, logger });
    resources.server = await startServer(config, { metrics, readiness, logger });

    const exitCode = await new Promise<number>((resolve, reject) => {
      removeEarlyHandlers();
      resources.uninstallSignals = installSignalHandlers(relay, logger, {
        exit: (code) => {
          if (code === FORCED_EXIT_CODE) process.exit(code);
          else resolve(code);
        },
      });
      relay.start().catch(reject);
    });

    await release(resources, logger);
    logger.info({ exitCode }, 'kafka-streamer-relay exiting');
    return exitCode;
  } catch (error) {
    removeEarlyHandlers();
    const usage = error instanceof ConfigurationError;
    logger.fatal({ err: error }, usage ? 'invalid relay configuration' : 'relay failed to start');
    await resources.relay?.stop({ graceMs: 0 }).catch(() => undefined);
    await release(resources, logger).catch((cleanupError: unknown) => logger.warn({ err: cleanupError }, 'cleanup after the failure failed'));
    return usage ? EXIT_USAGE : EXIT_FAILURE;
  }
}
