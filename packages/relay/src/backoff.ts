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
