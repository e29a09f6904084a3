import type { ResolvedRetryOptions } from './options.js';

/**
 * Delay in ms before attempt `attempt + 1`, after `attempt` failures (>= 1):
 * exponential from `initialDelayMs`, capped at `maxDelayMs`, with "equal jitter"
 * (half fixed, half random) so that relays that failed together do not retry together.
 */
export function backoffDelayMs(retry: ResolvedRetryOptions, attempt: number, random = Math.random): number {
  const exponent = Math.max(0, attempt - 1);
  const base = Math.min(retry.maxDelayMs, retry.initialDelayMs * retry.factor ** exponent);
  return Math.round(base / 2 + random() * (base / 2));
}

/** First wait in ms after a poll that found nothing, when the poll before it found rows. */
export const FIRST_IDLE_WAIT_MS = 10;

/**
 * Returns the wait in ms after the `emptyPolls`-th empty poll in a row: it starts at
 * FIRST_IDLE_WAIT_MS and doubles up to `pollIntervalMs`. A relay under load thus
 * picks up new rows within milliseconds, and an idle one polls at the interval.
 */
export function idleWaitMs(emptyPolls: number, pollIntervalMs: number): number {
  const exponent = Math.max(0, emptyPolls - 1);
  return Math.min(pollIntervalMs, FIRST_IDLE_WAIT_MS * 2 ** Math.min(exponent, 30));
}
