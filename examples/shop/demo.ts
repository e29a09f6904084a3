// The shop demo: `npm run demo -- --help` lists its options.
import { randomBytes } from 'node:crypto';
import { migrateOutbox, withContext } from '@kafka-streamer/core';
import { createRelay, type Relay } from '@kafka-streamer/relay';
import pino from 'pino';
import { createTopics, demoBrokers } from './broker.js';
import { createDemoDatabase, type DemoDatabase } from './database.js';
import { DEMO_USAGE, type DemoOptions, InvalidDemoOptionError, parseDemoOptions } from './demo-options.js';
import { Ledger, saveLedger } from './ledger.js';
import { formatReport } from './report.js';
import { migrateShop } from './schema.js';
import { createShopRegistry, registryStreaming } from './streaming.js';
import { shopTopics, topicList } from './topics.js';
import { verifyRun } from './verify.js';
import { refreshOrders, runWorkload, type WorkloadOptions, type WorkloadProgress } from './workload.js';

const PARTITIONS = 3;
const OUTBOX_TABLE = 'kafka_streamer_outbox';

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)}s`;
}

async function pendingRows(db: DemoDatabase): Promise<number> {
  const [row] = await db.knex(OUTBOX_TABLE).count({ n: '*' });
  return Number(row?.n ?? 0);
}

function startRelay(db: DemoDatabase, brokers: readonly string[], runId: string): { relay: Relay; published: () => number } {
  // better-sqlite3 is synchronous: a second connection in this process would block
  // the event loop while it waits for the application's write lock, so on SQLite the
  // relay shares the application's one connection. A relay in its own process
  // (kafka-streamer-relay run) opens its own.
  const database =
    db.dialect === 'sqlite'
      ? { knex: db.knex }
      : { database: { client: db.config.client as 'pg' | 'mysql2', connection: db.url as string, pool: { max: 4 } } };
  const relay = createRelay({
    ...database,
    kafka: { brokers, clientId: `shop-demo-${runId}` },
    pollIntervalMs: 50,
    logger: pino({ level: 'warn', name: 'relay' }, pino.destination(2)),
  });
  let published = 0;
  relay.on('published', (event) => {
    published += event.ids.length;
  });
  return { relay, published: () => published };
}

/** Prints a progress line every second until the returned function is called. */
function reportProgress(ledger: Ledger, progress: WorkloadProgress, published: () => number, db: DemoDatabase, start: number) {
  const timer = setInterval(() => {
    pendingRows(db)
      .then((pending) =>
        log(
          `[${seconds(start).padStart(6)}] committed ${ledger.committedChanges} changes in ${progress.transactions} transactions ` +
            `(${progress.rolledBack} rolled back, ${progress.retries} retried after lock conflicts) | ` +
            `published ${published()} | outbox pending ${pending}`,
        ),
      )
      .catch(() => {});
  }, 1000);
  return () => clearInterval(timer);
}

async function waitForEmptyOutbox(db: DemoDatabase, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await pendingRows(db)) === 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

async function run(options: DemoOptions): Promise<boolean> {
  const start = Date.now();
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const brokers = demoBrokers();
  const db = await createDemoDatabase(options.db, runId, options.concurrency + 2);
  log(`run ${runId}: ${db.dialect} database ${db.name}, Kafka ${brokers.join(',')}`);

  try {
    const appliedOutbox = await migrateOutbox(db.knex);
    const appliedShop = await migrateShop(db.knex);
    log(`1. migrated: ${[...appliedOutbox, ...appliedShop].join(', ')}`);

    const topics = shopTopics(runId);
    await createTopics(brokers, topicList(topics), PARTITIONS);
    const ledger = new Ledger(runId, topicList(topics));
    const { relay, published } = startRelay(db, brokers, runId);
    await relay.start();

    log(`2. running ${options.changes} changes, ${options.concurrency} transactions at once, relay alongside`);
    const workload: WorkloadOptions = {
      knex: db.knex,
      dialect: db.dialect,
      topics,
      streaming: registryStreaming(createShopRegistry(topics)),
      ledger,
      runId,
      changes: options.changes,
      concurrency: options.concurrency,
      transactionSize: options.transactionSize,
      seed: options.seed,
    };
    const progress: WorkloadProgress = { transactions: 0, rolledBack: 0, retries: 0 };
    const stopProgress = reportProgress(ledger, progress, published, db, start);
    const workStart = Date.now();
    try {
      await withContext({ source: 'shop-demo' }, () => runWorkload(workload, progress));
      const changes = ledger.committedChanges;
      const refreshed = await refreshOrders(workload);
      log(
        `   workload done in ${seconds(workStart)}: ${changes} changes in ${progress.transactions} committed transactions, ` +
          `${progress.rolledBack} rolled back; then a full refresh of ${refreshed} orders`,
      );
      const drained = await waitForEmptyOutbox(db, options.timeoutSeconds * 1000);
      log(`   outbox ${drained ? 'drained' : 'NOT drained'} ${seconds(workStart)} after the workload started; ${published()} rows published`);
    } finally {
      stopProgress();
      await relay.stop();
    }

    const data = ledger.toData();
    if (options.ledgerFile !== undefined) saveLedger(options.ledgerFile, data);
    log('3. verifying: reading the topics from the beginning');
    const verifyStart = Date.now();
    const result = await verifyRun({ brokers, ledger: data, ordersTopic: topics.orders, timeoutMs: options.timeoutSeconds * 1000 });
    log(`   read ${result.messages.length} messages in ${seconds(verifyStart)}`);

    log('4. summary\n');
    log(formatReport(result, options.samples));
    log(`\ntotal time ${seconds(start)}`);
    return result.ok;
  } finally {
    await db.dispose(options.keep);
  }
}

async function main(): Promise<void> {
  let options: DemoOptions | undefined;
  try {
    options = parseDemoOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof InvalidDemoOptionError) && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') !== true) throw error;
    process.stderr.write(`${(error as Error).message}\n\n${DEMO_USAGE}`);
    process.exit(2);
  }
  if (options === undefined) {
    process.stdout.write(DEMO_USAGE);
    return;
  }

  // The relay keeps KafkaJS's default partitioner on purpose; its notice about the
  // v2 default change is noise here.
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
  const ok = await run(options);
  process.exit(ok ? 0 : 1);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(2);
});
