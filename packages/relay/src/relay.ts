import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import type { Knex } from 'knex';
import PQueue from 'p-queue';
import type { Logger } from 'pino';
import { backoffDelayMs, idleWaitMs } from './backoff.js';
import { type BatchContext, BatchPublisher } from './batch.js';
import { openDatabase, prepareSqlite } from './database.js';
import { OutboxDatabaseError, RelayStoppedError } from './errors.js';
import { type BatchSummary, type RelayEvents, TypedEmitter } from './events.js';
import { describeOptions, relayLogger } from './logger.js';
import { type RelayOptions, type ResolvedRelayOptions, resolveRelayOptions } from './options.js';
import { createKafka, createProducer } from './producer.js';
import { ProgressLog } from './progress.js';
import { sleep, withTimeout } from './timing.js';
import { claimRows } from './sql/claim.js';
import { createSqlContext, type SqlContext } from './sql/context.js';
import { releaseClaim } from './sql/release.js';
import { releaseOutOfOrder } from './sql/release-out-of-order.js';
import type { OutboxRow } from './sql/rows.js';

/** Backoff of the poll loop after a database or broker connection error, in ms. */
const LOOP_BACKOFF = { initialDelayMs: 500, factor: 2, maxDelayMs: 10_000, maxAttempts: Number.MAX_SAFE_INTEGER };

/** Time in ms that `stop()` allows the producer to disconnect, within the grace period. */
const DISCONNECT_TIMEOUT_MS = 5000;

/**
 * Part of the grace period, in ms, kept back from the batches so that their
 * unfinished rows can be released and the producer disconnected. It is at most a
 * quarter of the period.
 */
const CLEANUP_RESERVE_MS = 2000;

interface Claim {
  readonly claimId: string;
  /** Rows left after the per-key order check. */
  readonly rows: readonly OutboxRow[];
  /** Rows the order check gave back. */
  readonly released: number;
}

export interface StopOptions {
  /** Time in ms to wait for batches in flight. Default: the `shutdownGraceMs` option. */
  readonly graceMs?: number;
}

/**
 * Publishes the outbox to Kafka, at least once and in id order per key. Create it
 * with `createRelay`. Listen to `error` to observe failures; unlike a plain
 * EventEmitter, an `error` event without listeners is dropped (it is always logged).
 */
export class Relay extends TypedEmitter<RelayEvents> {
  readonly relayId: string;
  private readonly options: ResolvedRelayOptions;
  private readonly logger: Logger;
  private readonly knex: Knex;
  private readonly ownsKnex: boolean;
  private readonly sql: SqlContext;
  private readonly producer: Producer;
  private readonly queue: PQueue;
  private readonly stopController = new AbortController();
  private readonly inFlight = new Map<string, BatchPublisher>();
  /** Lanes with a batch queued or in flight. Each lane has at most one. */
  private readonly busyLanes = new Set<number>();
  /** Lane that the next poll tries first, so that every lane gets its turn. */
  private nextLane = 0;
  private connected = false;
  private started = false;
  private readonly progress: ProgressLog;
  private loopDone: Promise<void> | undefined;
  private stopped: Promise<void> | undefined;

  constructor(options: RelayOptions) {
    super();
    this.options = resolveRelayOptions(options);
    this.relayId = this.options.relayId;
    this.logger = relayLogger(this.options);
    this.progress = new ProgressLog(this.logger);

    const database = openDatabase(this.options, this.logger);
    this.knex = database.knex;
    this.ownsKnex = database.owned;
    this.sql = createSqlContext(this.knex, this.options.outbox, this.options.blockedKeyPolicy);

    this.producer = createProducer(createKafka(this.options, this.logger));
    this.producer.on(this.producer.events.CONNECT, () => {
      this.connected = true;
      this.notify('connected');
    });
    this.producer.on(this.producer.events.DISCONNECT, () => {
      this.connected = false;
      this.notify('disconnected');
    });
    this.queue = new PQueue({ concurrency: this.options.maxBatchesInFlight });
  }

  /** Starts the poll loop in the background. Returns at once; calling it again does nothing. */
  async start(): Promise<void> {
    if (this.stopped !== undefined) throw new RelayStoppedError('start the relay');
    if (this.started) return;
    this.started = true;

    if (this.sql.dialect === 'sqlite' && !this.ownsKnex) await prepareSqlite(this.knex);
    this.logger.info({ config: describeOptions(this.options) }, 'relay starting');
    this.progress.start();
    this.loopDone = this.loop();
    this.notify('started');
  }

  /**
   * Claims and publishes one batch and returns its summary, without the loop.
   * For tests and tools; do not mix with `start()`.
   */
  async runOnce(): Promise<BatchSummary> {
    if (this.stopped !== undefined) throw new RelayStoppedError('run a batch');
    await this.ensureConnected();

    const claim = await this.claim();
    if (claim.rows.length === 0) {
      this.notify('idle');
      return { rows: claim.released, published: 0, parked: 0, retried: 0, released: claim.released, durationMs: 0 };
    }
    return (await this.queue.add(() => this.publish(claim))) as BatchSummary;
  }

  /**
   * Stops polling at once, waits up to `graceMs` for batches in flight, releases
   * the claims of rows still unpublished, disconnects the producer and destroys the
   * Knex pool if the relay created it. Idempotent: later calls return the same promise.
   */
  stop(options: StopOptions = {}): Promise<void> {
    this.stopped ??= this.shutdown(options.graceMs ?? this.options.shutdownGraceMs);
    return this.stopped;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    let emptyPolls = 0;

    while (!this.stopController.signal.aborted) {
      try {
        await this.waitForSlot();
        if (this.stopController.signal.aborted) break;
        await this.ensureConnected();
        if (this.stopController.signal.aborted) break;

        const claimed = await this.pollOnce();
        failures = 0;
        // Only an empty claim waits. At a steady load the next rows are already
        // waiting, and a wait here would add to their latency.
        emptyPolls = claimed ? 0 : emptyPolls + 1;
        if (!claimed) await this.waitIdle(idleWaitMs(emptyPolls, this.options.pollIntervalMs));
      } catch (error) {
        failures += 1;
        const delayMs = backoffDelayMs(LOOP_BACKOFF, failures);
        this.logger.error({ err: error, failures, delayMs }, `poll failed; retrying in ${delayMs} ms`);
        this.notify('error', { error: error as Error });
        await sleep(delayMs, this.stopController.signal);
      }
    }
  }

  /**
   * Claims one batch from the first free lane that has claimable rows and queues
   * it. Returns true when a claim found rows to publish.
   */
  private async pollOnce(): Promise<boolean> {
    for (const lane of this.freeLanes()) {
      const claim = await this.claim(lane);

      if (this.stopController.signal.aborted) {
        await releaseClaim(this.sql, claim.claimId);
        return false;
      }
      if (claim.rows.length === 0) continue;

      this.nextLane = (lane + 1) % this.options.maxBatchesInFlight;
      this.busyLanes.add(lane);
      this.queue
        .add(() => this.publishInLane(claim, lane))
        .catch((error: unknown) => {
          this.logger.error({ err: error, claimId: claim.claimId }, 'batch failed; its unfinished rows were released');
          this.notify('error', { error: error as Error });
        });
      return true;
    }

    this.notify('idle');
    return false;
  }

  // The lane is freed inside the queued task, so it is already free when the
  // queue's `next` event wakes the poll loop.
  private async publishInLane(claim: Claim, lane: number): Promise<BatchSummary> {
    try {
      return await this.publish(claim);
    } finally {
      this.busyLanes.delete(lane);
    }
  }

  /** Lanes without a batch, starting at `nextLane`. */
  private freeLanes(): number[] {
    const count = this.options.maxBatchesInFlight;
    const lanes: number[] = [];
    for (let offset = 0; offset < count; offset += 1) {
      const lane = (this.nextLane + offset) % count;
      if (!this.busyLanes.has(lane)) lanes.push(lane);
    }
    return lanes;
  }

  /**
   * Waits `ms`, or until a batch in flight ends. An empty claim with a batch in
   * flight usually means that its keys held the pending rows back.
   */
  private async waitIdle(ms: number): Promise<void> {
    const signal = this.stopController.signal;
    if (this.queue.pending + this.queue.size === 0) {
      await sleep(ms, signal);
      return;
    }

    const wake = new AbortController();
    const wakeUp = () => wake.abort();
    this.queue.on('next', wakeUp);
    signal.addEventListener('abort', wakeUp, { once: true });
    try {
      await sleep(ms, wake.signal);
    } finally {
      this.queue.off('next', wakeUp);
      signal.removeEventListener('abort', wakeUp);
    }
  }

  private async claim(lane?: number): Promise<Claim> {
    const claimId = randomUUID();
    try {
      const rows = await claimRows(this.sql, {
        claimId,
        relayId: this.relayId,
        limit: this.options.batchSize,
        leaseMs: this.options.takeoverMs,
        lane: lane === undefined ? undefined : { index: lane, count: this.options.maxBatchesInFlight },
      });
      if (rows.length === 0) return { claimId, rows, released: 0 };

      const outOfOrder = new Set(await this.releaseOutOfOrder(claimId, rows));
      const inOrder = rows.filter((row) => !outOfOrder.has(row.id));
      return { claimId, rows: inOrder, released: outOfOrder.size };
    } catch (cause) {
      throw new OutboxDatabaseError('claim', [], cause);
    }
  }

  /**
   * Runs the per-key order check of a fresh claim. When it fails, the whole claim is
   * released so that its rows do not wait for the lease to end, and the error is thrown.
   */
  private async releaseOutOfOrder(claimId: string, rows: readonly OutboxRow[]): Promise<string[]> {
    try {
      return await releaseOutOfOrder(this.sql, claimId);
    } catch (error) {
      const ids = rows.map((row) => row.id);
      try {
        await releaseClaim(this.sql, claimId);
        this.logger.warn({ err: error, claimId, outboxIds: ids }, 'per-key order check failed; released the claim');
      } catch (releaseError) {
        this.logger.error(
          { err: releaseError, claimId, outboxIds: ids, leaseMs: this.options.takeoverMs },
          'per-key order check and releasing the claim failed; its rows stay claimed until the lease ends',
        );
      }
      throw error;
    }
  }

  private async publish(claim: Claim): Promise<BatchSummary> {
    const publisher = new BatchPublisher(this.batchContext(), claim.claimId, claim.rows, claim.released);
    this.inFlight.set(claim.claimId, publisher);
    try {
      if (this.options.beforePublish !== undefined) await this.runBeforePublish(claim);
      const summary = await publisher.run();
      this.logger.debug({ claimId: claim.claimId, ...summary }, 'batch done');
      this.progress.add(summary);
      this.notify('batch', summary);
      return summary;
    } finally {
      this.inFlight.delete(claim.claimId);
    }
  }

  private async runBeforePublish(claim: Claim): Promise<void> {
    try {
      await this.options.beforePublish?.(claim.rows);
    } catch (error) {
      await releaseClaim(this.sql, claim.claimId);
      throw error;
    }
  }

  private batchContext(): BatchContext {
    return {
      sql: this.sql,
      producer: this.producer,
      options: this.options,
      logger: this.logger,
      signal: this.stopController.signal,
      emit: (event, ...args) => this.notify(event, ...args),
    };
  }

  private async ensureConnected(): Promise<void> {
    if (this.connected) return;
    await this.producer.connect();
  }

  private async waitForSlot(): Promise<void> {
    const signal = this.stopController.signal;
    while (this.queue.size + this.queue.pending >= this.options.maxBatchesInFlight && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.queue.off('next', done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        this.queue.on('next', done);
        signal.addEventListener('abort', done, { once: true });
      });
    }
  }

  /** Emits an event; a throwing listener is logged, never allowed to break the loop. */
  private notify<K extends keyof RelayEvents & string>(event: K, ...args: RelayEvents[K]): void {
    if (event === 'error' && this.listenerCount('error') === 0) return;
    try {
      this.emit(event, ...args);
    } catch (error) {
      this.logger.error({ err: error, event }, `a listener of the ${event} event threw`);
    }
  }

  /**
   * Stops within `graceMs`: batches get the period less a cleanup reserve, then the
   * unfinished rows are released and the producer disconnects in what is left. A
   * step still running at the deadline is abandoned, and its rows return when their
   * lease ends. Only destroying a Knex pool that the relay owns may run past it.
   */
  private async shutdown(graceMs: number): Promise<void> {
    const deadline = Date.now() + graceMs;
    const batchDeadline = deadline - Math.min(CLEANUP_RESERVE_MS, Math.floor(graceMs / 4));
    this.stopController.abort();
    this.logger.info({ graceMs, batchesInFlight: this.inFlight.size }, 'relay stopping');
    this.notify('stopping');

    await withTimeout(this.loopDone ?? Promise.resolve(), batchDeadline - Date.now());
    await withTimeout(this.queue.onIdle(), batchDeadline - Date.now());
    await this.releaseUnfinished(deadline);

    await this.disconnect(deadline);
    if (this.ownsKnex) await this.knex.destroy();
    this.logger.info({ totals: this.progress.stop() }, 'relay stopped');
    this.notify('stopped');
  }

  private async releaseUnfinished(deadline: number): Promise<void> {
    for (const [claimId, publisher] of this.inFlight) {
      const ids = publisher.pendingIds();
      this.logger.warn({ claimId, outboxIds: ids }, 'grace period over; releasing unfinished rows of a batch in flight');
      try {
        const release = releaseClaim(this.sql, claimId);
        const released = await withTimeout(release, deadline - Date.now());
        if (released) this.progress.addReleased(await release);
        else this.logger.error({ claimId, outboxIds: ids }, 'releasing unfinished rows timed out; they return when the lease expires');
      } catch (error) {
        this.logger.error({ err: error, outboxIds: ids }, 'releasing unfinished rows failed; they return when the lease expires');
      }
    }
  }

  private async disconnect(deadline: number): Promise<void> {
    try {
      const disconnected = await withTimeout(this.producer.disconnect(), Math.min(DISCONNECT_TIMEOUT_MS, deadline - Date.now()));
      if (!disconnected) this.logger.warn('producer disconnect did not finish within the grace period; leaving it');
    } catch (error) {
      this.logger.error({ err: error }, 'producer disconnect failed');
    }
  }
}

/** Validates the options and creates a relay; nothing connects until `start()` or `runOnce()`. */
export function createRelay(options: RelayOptions): Relay {
  return new Relay(options);
}
