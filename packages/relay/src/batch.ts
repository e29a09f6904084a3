import type { Producer, TopicMessages } from 'kafkajs';
import type { Logger } from 'pino';
import { backoffDelayMs } from './backoff.js';
import { classifyKafkaError } from './classify.js';
import { MessageTooLargeError, OutboxDatabaseError, PublishError, summarizeIds } from './errors.js';
import type { BatchSummary, RelayEvents } from './events.js';
import { startLeaseRenewal } from './lease.js';
import type { ResolvedRelayOptions } from './options.js';
import { type PreparedMessage, type ProduceRequest, prepareMessage, splitIntoRequests } from './requests.js';
import type { SqlContext } from './sql/context.js';
import { deletePublished } from './sql/delete-published.js';
import { parkRows } from './sql/park.js';
import { releaseClaim } from './sql/release.js';
import type { OutboxRow } from './sql/rows.js';
import { scheduleRetry } from './sql/schedule-retry.js';

/** Dependencies of a batch publisher, supplied by its relay. */
export interface BatchContext {
  readonly sql: SqlContext;
  readonly producer: Producer;
  readonly options: ResolvedRelayOptions;
  readonly logger: Logger;
  emit<K extends keyof RelayEvents & string>(event: K, ...args: RelayEvents[K]): void;
  /** Aborted by `stop()`: the request on the wire finishes, the rest is released. */
  readonly signal: AbortSignal;
}

interface Counters {
  published: number;
  parked: number;
  retried: number;
  released: number;
}

function keysOf(messages: readonly PreparedMessage[]): string[] {
  return messages.flatMap((prepared) => (prepared.row.key === null ? [] : [prepared.row.key]));
}

function idsOf(messages: readonly PreparedMessage[]): string[] {
  return messages.map((prepared) => prepared.row.id);
}

function topicsOf(messages: readonly PreparedMessage[]): string[] {
  return [...new Set(messages.map((prepared) => prepared.row.topic))];
}

/**
 * Splits a request into one request per topic, in the order of each topic's first
 * message. KafkaJS fetches metadata for every topic of a request before it sends
 * anything, so one missing topic fails the whole request; sent apart, only the
 * missing topic's rows fail and count an attempt. Each topic's rows keep their
 * order, so per-key order on every partition is kept.
 */
function splitByTopic(request: ProduceRequest): ProduceRequest[] {
  return topicsOf(request.messages).map((topic) => {
    const messages = request.messages.filter((prepared) => prepared.row.topic === topic);
    return { messages, sizeBytes: messages.reduce((sum, prepared) => sum + prepared.sizeBytes, 0) };
  });
}

function toTopicMessages(request: ProduceRequest): TopicMessages[] {
  const byTopic = new Map<string, TopicMessages>();
  for (const prepared of request.messages) {
    const entry = byTopic.get(prepared.row.topic) ?? { topic: prepared.row.topic, messages: [] };
    entry.messages.push(prepared.message);
    byTopic.set(prepared.row.topic, entry);
  }
  return [...byTopic.values()];
}

/**
 * Publishes one claimed batch, whose rows already passed the per-key order check
 * (releaseOutOfOrder): sends its produce requests in order, each awaited,
 * deletes the rows of each acknowledged request, and retries, parks or releases
 * the rest. Rows whose key had a failure earlier in the batch are released
 * unpublished, so a key's later rows never overtake its earlier ones.
 */
export class BatchPublisher {
  private readonly counters: Counters = { published: 0, parked: 0, retried: 0, released: 0 };
  private readonly blockedKeys = new Set<string>();
  private readonly pending = new Set<string>();
  private queue: ProduceRequest[] = [];

  constructor(
    private readonly context: BatchContext,
    private readonly claimId: string,
    private readonly rows: readonly OutboxRow[],
    private readonly releasedBeforeStart = 0,
  ) {}

  async run(): Promise<BatchSummary> {
    const started = performance.now();
    const { sql, options, logger } = this.context;
    for (const row of this.rows) this.pending.add(row.id);

    const lease = startLeaseRenewal(sql, this.claimId, options.takeoverMs, logger, () => [...this.pending]);
    try {
      const messages = await this.prepare(this.rows);
      this.queue = splitIntoRequests(messages, options.maxRequestBytes);
      await this.sendAll(() => lease.lost);
    } catch (error) {
      await this.fail(error);
    } finally {
      lease.stop();
    }

    const rows = this.rows.length + this.releasedBeforeStart;
    const released = this.counters.released + this.releasedBeforeStart;
    return { rows, ...this.counters, released, durationMs: Math.round(performance.now() - started) };
  }

  /**
   * Ends the batch after a database error: logs it, and releases the rows not yet
   * sent, so the next poll can take them once the database is reachable again.
   */
  private async fail(error: unknown): Promise<void> {
    const ids = (error as { ids?: readonly string[] }).ids ?? [];
    this.context.logger.error({ err: error, outboxIds: ids, claimId: this.claimId }, 'batch failed');
    this.context.emit('error', { error: error as Error, ids });
    await this.releaseRemaining();
  }

  /** Ids of rows still held by this batch, for release on a forced stop. */
  pendingIds(): string[] {
    return [...this.pending];
  }

  private async prepare(rows: readonly OutboxRow[]): Promise<PreparedMessage[]> {
    const prepared: PreparedMessage[] = [];
    for (const row of rows) {
      try {
        prepared.push(prepareMessage(row));
      } catch (error) {
        await this.park(row, error as Error, row.attempts + 1);
      }
    }
    return prepared;
  }

  private async sendAll(leaseLost: () => boolean): Promise<void> {
    while (this.queue.length > 0) {
      if (this.context.signal.aborted || leaseLost()) {
        await this.releaseRemaining();
        return;
      }

      const request = await this.takeUnblocked();
      if (request === undefined) continue;

      try {
        await this.context.producer.sendBatch({ acks: -1, topicMessages: toTopicMessages(request) });
      } catch (error) {
        await this.handleSendFailure(request, error);
        continue;
      }
      await this.acknowledge(request);
    }
  }

  /** Takes the next request, releasing its rows whose key is blocked. */
  private async takeUnblocked(): Promise<ProduceRequest | undefined> {
    const request = this.queue.shift() as ProduceRequest;
    const blocked = request.messages.filter((m) => m.row.key !== null && this.blockedKeys.has(m.row.key));
    if (blocked.length === 0) return request;

    await this.release(idsOf(blocked));
    const rest = request.messages.filter((m) => !blocked.includes(m));
    if (rest.length === 0) return undefined;
    return { messages: rest, sizeBytes: rest.reduce((sum, m) => sum + m.sizeBytes, 0) };
  }

  private async acknowledge(request: ProduceRequest): Promise<void> {
    const ids = idsOf(request.messages);
    try {
      await deletePublished(this.context.sql, ids);
    } catch (cause) {
      await this.recordDeleteFailure(request, cause);
      throw new OutboxDatabaseError('delete of published rows', ids, cause);
    }

    for (const id of ids) this.pending.delete(id);
    this.counters.published += ids.length;
    for (const entry of toTopicMessages(request)) {
      const topicIds = request.messages.filter((m) => m.row.topic === entry.topic).map((m) => m.row.id);
      this.context.emit('published', { ids: topicIds, topic: entry.topic });
    }
  }

  /**
   * Records a delete that failed after Kafka acknowledged the messages: the rows
   * get a failed attempt and are released, so a later cycle publishes them again.
   * The result is a duplicate with the same stored bytes, never a lost message.
   */
  private async recordDeleteFailure(request: ProduceRequest, cause: unknown): Promise<void> {
    const ids = idsOf(request.messages);
    const attempt = (request.messages[0]?.row.attempts ?? 0) + 1;
    const message = `published, but deleting the row failed: ${(cause as Error)?.message ?? String(cause)}`;
    for (const id of ids) this.pending.delete(id);
    try {
      await scheduleRetry(this.context.sql, this.claimId, ids, backoffDelayMs(this.context.options.retry, attempt), message);
      this.counters.retried += ids.length;
    } catch (error) {
      this.context.logger.error({ err: error, outboxIds: ids }, 'recording the failed delete failed; the lease will expire');
    }
  }

  private async handleSendFailure(request: ProduceRequest, error: unknown): Promise<void> {
    const failure = classifyKafkaError(error);

    if (!failure.retriable && request.messages.length > 1) {
      this.context.logger.warn(
        { err: error, outboxIds: idsOf(request.messages), kafkaType: failure.kafkaType },
        'produce request failed permanently; sending its rows one by one to find the failing row',
      );
      const singles = request.messages.map((m) => ({ messages: [m], sizeBytes: m.sizeBytes }));
      this.queue.unshift(...singles);
      return;
    }

    if (failure.kafkaType === 'UNKNOWN_TOPIC_OR_PARTITION' && topicsOf(request.messages).length > 1) {
      this.context.logger.warn(
        { err: error, outboxIds: idsOf(request.messages), topics: topicsOf(request.messages) },
        'produce request failed on a missing topic; sending each topic of it on its own to find the missing one',
      );
      this.queue.unshift(...splitByTopic(request));
      return;
    }

    if (!failure.retriable) {
      const prepared = request.messages[0] as PreparedMessage;
      await this.park(prepared.row, this.permanentError(prepared, failure.kafkaType, error), prepared.row.attempts + 1);
      return;
    }

    for (const key of keysOf(request.messages)) this.blockedKeys.add(key);
    await this.retryOrPark(request.messages, error, failure.kafkaType);
  }

  private permanentError(prepared: PreparedMessage, kafkaType: string | undefined, cause: unknown): Error {
    const { row } = prepared;
    const attempt = row.attempts + 1;
    if (kafkaType === 'MESSAGE_TOO_LARGE') {
      return new MessageTooLargeError(row.id, row.topic, prepared.sizeBytes, attempt, cause);
    }
    const detail = cause instanceof Error ? cause.message : String(cause);
    return new PublishError(
      `publishing outbox id ${row.id} to topic ${row.topic} failed permanently${kafkaType ? ` (${kafkaType})` : ''}: ${detail}`,
      { ids: [row.id], topics: [row.topic], attempt, retriable: false, kafkaType, cause },
    );
  }

  private async retryOrPark(messages: readonly PreparedMessage[], cause: unknown, kafkaType: string | undefined) {
    const { options } = this.context;
    const byAttempt = new Map<number, PreparedMessage[]>();
    for (const prepared of messages) {
      const attempt = prepared.row.attempts + 1;
      byAttempt.set(attempt, [...(byAttempt.get(attempt) ?? []), prepared]);
    }

    for (const [attempt, group] of byAttempt) {
      const ids = idsOf(group);
      const topics = [...new Set(group.map((m) => m.row.topic))];
      const detail = cause instanceof Error ? cause.message : String(cause);
      const error = new PublishError(
        `publishing outbox ids ${summarizeIds(ids)} to ${topics.join(', ')} failed (attempt ${attempt} of ${options.retry.maxAttempts}): ${detail}`,
        { ids, topics, attempt, retriable: true, kafkaType, cause },
      );

      // A failure without a broker error type (connection refused or lost, request
      // timed out) is not caused by the rows, so it never parks them. Otherwise a
      // long broker outage would park healthy rows and hold back their keys.
      // Such rows keep retrying at the maximum delay instead.
      if (attempt >= options.retry.maxAttempts && kafkaType !== undefined) {
        for (const prepared of group) await this.park(prepared.row, error, attempt);
        continue;
      }
      await this.scheduleRetry(ids, attempt, error, topics);
    }
  }

  private async scheduleRetry(ids: string[], attempt: number, error: PublishError, topics: string[]): Promise<void> {
    const { options, logger, sql } = this.context;
    const delayMs = backoffDelayMs(options.retry, attempt);
    logger.warn(
      { err: error, outboxIds: ids, topics, attempt, maxAttempts: options.retry.maxAttempts, delayMs },
      `publish failed, attempt ${attempt} of ${options.retry.maxAttempts}; retrying in ${delayMs} ms`,
    );

    for (const id of ids) this.pending.delete(id);
    try {
      await scheduleRetry(sql, this.claimId, ids, delayMs, error.message);
    } catch (cause) {
      throw new OutboxDatabaseError('retry scheduling', ids, cause);
    }
    this.counters.retried += ids.length;
    this.context.emit('retry', { ids, attempt, delayMs, error });
    this.context.emit('error', { error, ids, topic: topics[0] as string, attempt });
  }

  private async park(row: OutboxRow, error: Error, attempt: number): Promise<void> {
    const { sql, logger, options } = this.context;
    logger.error(
      { err: error, outboxId: row.id, topic: row.topic, attempt, code: (error as { code?: string }).code },
      `parking outbox id ${row.id}: ${error.message}`,
    );

    this.pending.delete(row.id);
    try {
      await parkRows(sql, this.claimId, [row.id], error.message);
    } catch (cause) {
      throw new OutboxDatabaseError('park', [row.id], cause);
    }
    if (row.key !== null && options.blockedKeyPolicy === 'hold') this.blockedKeys.add(row.key);
    this.counters.parked += 1;
    this.context.emit('parked', { id: row.id, error });
    this.context.emit('error', { error, ids: [row.id], topic: row.topic, attempt });
  }

  private async release(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    for (const id of ids) this.pending.delete(id);
    this.counters.released += ids.length;
    try {
      await releaseClaim(this.context.sql, this.claimId, ids);
    } catch (error) {
      this.context.logger.error(
        { err: error, claimId: this.claimId, outboxIds: ids },
        'releasing rows failed; they stay claimed until the lease ends',
      );
    }
  }

  private async releaseRemaining(): Promise<void> {
    const ids = this.queue.flatMap((request) => idsOf(request.messages));
    this.queue = [];
    await this.release(ids);
  }
}
