import type { RelayEvents } from '../events.js';

/** Result of the `/readyz` check. */
export interface ReadinessState {
  readonly ready: boolean;
  /** Reasons the relay is not ready; empty when it is ready. */
  readonly reasons: readonly string[];
}

/** The part of a relay that readiness listens to. */
export interface RelayEventSource {
  on<K extends keyof RelayEvents & string>(event: K, listener: (...args: RelayEvents[K]) => void): unknown;
}

// KafkaJS errors (or their causes) that mean the producer lost or never had its broker connection.
function isConnectionError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (/^KafkaJS(Connection|ConnectionClosed|BrokerNotFound|RequestTimeout)/.test(current.name)) return true;
    const next = (current as { originalError?: unknown }).originalError ?? current.cause;
    current = next;
  }
  return false;
}

// An outbox statement that polls for rows; its failure means the last poll failed.
function isPollFailure(error: unknown): boolean {
  const failure = error as { code?: unknown; operation?: unknown };
  return failure.code === 'ERR_KS_OUTBOX_DATABASE' && failure.operation === 'claim';
}

/**
 * Tracks whether the relay is ready: it has started and not begun to stop, its
 * last poll succeeded within `staleAfterMs`, its producer is connected (the
 * relay's `connected` and `disconnected` events), and no broker connection error
 * came after the producer's last connect or successful publish. KafkaJS 2.2.4
 * emits `disconnected` only when the producer is disconnected on purpose, so a
 * broker that goes away shows only as connection errors.
 */
export class Readiness {
  private started = false;
  private stopping = false;
  private lastPollOkAt: number | undefined;
  private lastPollFailedAt: number | undefined;
  private producerConnected = false;
  private brokerFailing = false;

  constructor(
    private readonly staleAfterMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Subscribes to a relay's events. */
  track(relay: RelayEventSource): void {
    relay.on('started', () => {
      this.started = true;
    });
    relay.on('connected', () => {
      this.producerConnected = true;
      this.brokerFailing = false;
    });
    relay.on('disconnected', () => {
      this.producerConnected = false;
    });
    relay.on('batch', () => this.pollSucceeded());
    relay.on('idle', () => this.pollSucceeded());
    relay.on('published', () => {
      this.brokerFailing = false;
    });
    relay.on('retry', ({ error }) => this.observeError(error));
    relay.on('error', ({ error }) => this.observeError(error));
    relay.on('stopping', () => {
      this.stopping = true;
    });
    relay.on('stopped', () => {
      this.stopping = true;
    });
  }

  private pollSucceeded(): void {
    this.lastPollOkAt = this.now();
  }

  private observeError(error: unknown): void {
    if (isPollFailure(error)) this.lastPollFailedAt = this.now();
    if (isConnectionError(error)) this.brokerFailing = true;
  }

  check(): ReadinessState {
    if (!this.started) return { ready: false, reasons: ['relay not started'] };

    const reasons: string[] = [];
    if (this.stopping) reasons.push('relay stopping');

    const pollOk = this.lastPollOkAt;
    if (pollOk === undefined) reasons.push('no successful poll yet');
    else if (this.now() - pollOk > this.staleAfterMs) reasons.push(`no successful poll in the last ${this.staleAfterMs} ms`);

    if (this.lastPollFailedAt !== undefined && pollOk !== undefined && this.lastPollFailedAt > pollOk) {
      reasons.push('last poll failed');
    }
    if (!this.producerConnected) reasons.push('producer not connected');
    else if (this.brokerFailing) reasons.push('broker connection failed since the last publish');
    return { ready: reasons.length === 0, reasons };
  }
}
