import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import {
  checkArrivalsAndOrder,
  checkDuplicates,
  checkRefreshes,
  checkRolledBack,
  expectationsByObject,
  firstArrivals,
  groupByObject,
  matches,
  objectKey,
  type Violation,
} from './checks.js';
import { TopicReader } from './consume.js';
import { type Expectation, type LedgerData, loadLedger } from './ledger.js';
import { type ParsedMessage, parseMessage } from './message-shape.js';
import { orderContentProblems } from './order-content.js';
import { formatReport } from './report.js';
import { countByTopicAndType, type RunStats } from './summary.js';

export interface VerifyOptions {
  readonly brokers: readonly string[];
  readonly ledger: LedgerData;
  /** Topic whose messages are orders, checked for content too. */
  readonly ordersTopic: string;
  /** How long to wait for every expected message, in ms. */
  readonly timeoutMs: number;
}

export interface VerifyResult {
  readonly ok: boolean;
  readonly violations: readonly Violation[];
  readonly stats: RunStats;
  readonly messages: readonly ParsedMessage[];
}

/** Tracks which expectations have a matching message so far, as messages arrive. */
class ArrivalTracker {
  readonly parsed: ParsedMessage[] = [];
  private readonly waiting = new Map<string, Expectation[]>();
  private remainingCount = 0;

  constructor(expectations: readonly Expectation[]) {
    for (const [key, group] of expectationsByObject(expectations)) {
      this.waiting.set(key, [...group]);
      this.remainingCount += group.length;
    }
  }

  get remaining(): number {
    return this.remainingCount;
  }

  add(parsed: ParsedMessage): void {
    this.parsed.push(parsed);
    const key = objectKey(parsed.message.topic, parsed.id);
    const waiting = this.waiting.get(key);
    if (waiting === undefined) return;

    const left = waiting.filter((expected) => !matches(parsed, expected));
    this.remainingCount -= waiting.length - left.length;
    this.waiting.set(key, left);
  }
}

function shapeViolations(messages: readonly ParsedMessage[], ordersTopic: string): Violation[] {
  const violations: Violation[] = [];
  for (const parsed of messages) {
    const { topic, partition, offset } = parsed.message;
    const where = `${topic} partition ${partition} offset ${offset}`;
    for (const problem of parsed.problems) violations.push({ check: 'shape', detail: `${where}: ${problem}` });
    if (topic !== ordersTopic) continue;
    for (const problem of orderContentProblems(parsed)) violations.push({ check: 'content', detail: `${where}: ${problem}` });
  }
  return violations;
}

function lagsOf(data: LedgerData, messages: readonly ParsedMessage[]): number[] {
  const groups = groupByObject(messages);
  const lags: number[] = [];
  for (const [key, expectations] of expectationsByObject(data.expectations)) {
    const group = groups.get(key) ?? [];
    firstArrivals(group, expectations).forEach((index, i) => {
      const message = group[index]?.message;
      if (message !== undefined) lags.push(message.timestamp - (expectations[i] as Expectation).committedAt);
    });
  }
  return lags;
}

/** Runs every check on the messages received and computes the summary numbers. */
export function evaluate(data: LedgerData, messages: readonly ParsedMessage[], ordersTopic: string): VerifyResult {
  const groups = groupByObject(messages);
  const byObject = expectationsByObject(data.expectations);
  const duplicates = checkDuplicates(messages);
  const violations = [
    ...shapeViolations(messages, ordersTopic),
    ...checkArrivalsAndOrder(byObject, groups),
    ...checkRolledBack(messages, data.forbiddenNotes),
    ...duplicates.violations,
    ...checkRefreshes(data, messages),
  ];

  const lags = lagsOf(data, messages);
  const firstCommit = data.expectations.reduce((min, e) => Math.min(min, e.committedAt), Number.POSITIVE_INFINITY);
  const lastTimestamp = messages.reduce((max, parsed) => Math.max(max, parsed.message.timestamp), Number.NEGATIVE_INFINITY);
  const expected = [...byObject.values()].reduce((sum, group) => sum + group.length, 0);
  const stats: RunStats = {
    counts: countByTopicAndType(messages),
    messages: messages.length,
    duplicates: duplicates.duplicates,
    expected,
    arrived: lags.length,
    lagsMs: lags,
    spanMs: Number.isFinite(lastTimestamp - firstCommit) ? lastTimestamp - firstCommit : 0,
  };
  return { ok: violations.length === 0, violations, stats, messages };
}

/**
 * Reads the run's topics from the beginning until every committed change has
 * arrived and the topics are read to their end, or until `timeoutMs` passes. Then
 * checks everything received against the ledger.
 */
export async function verifyRun(options: VerifyOptions): Promise<VerifyResult> {
  const kafka = new Kafka({ clientId: 'shop-verify', brokers: [...options.brokers], logLevel: logLevel.ERROR });
  const reader = new TopicReader(kafka, options.ledger.topics);
  const tracker = new ArrivalTracker(options.ledger.expectations);
  const deadline = Date.now() + options.timeoutMs;

  await reader.start();
  try {
    const caughtUp = () => {
      while (tracker.parsed.length < reader.messages.length) {
        tracker.add(parseMessage(reader.messages[tracker.parsed.length] as (typeof reader.messages)[number]));
      }
      return tracker.remaining === 0 && checkRefreshes(options.ledger, tracker.parsed).length === 0;
    };
    await reader.waitFor(caughtUp, Math.max(0, deadline - Date.now()));
    await reader.readToEnd(Math.max(1000, deadline - Date.now()));
    caughtUp();
  } finally {
    await reader.stop();
  }
  return evaluate(options.ledger, tracker.parsed, options.ordersTopic);
}

const USAGE = `Usage: tsx examples/shop/verify.ts --ledger FILE [--brokers host:port,...] [--timeout SECONDS]

Checks the topics of a finished demo run (npm run demo -- --ledger FILE) against its
ledger. Brokers default to KAFKA_BROKERS, then 127.0.0.1:19092. Exits 0 when every
check passes, 1 on violations.
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { ledger: { type: 'string' }, brokers: { type: 'string' }, timeout: { type: 'string' } },
  });
  if (values.ledger === undefined) {
    process.stderr.write(USAGE);
    process.exit(2);
  }

  const ledger = loadLedger(values.ledger);
  const brokers = (values.brokers ?? process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
  const ordersTopic = ledger.topics.find((topic) => topic.endsWith('.orders')) ?? '';
  const timeoutMs = Number(values.timeout ?? 60) * 1000;
  const result = await verifyRun({ brokers, ledger, ordersTopic, timeoutMs });
  process.stdout.write(`${formatReport(result, 0)}\n`);
  process.exit(result.ok ? 0 : 1);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`verify failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  });
}
