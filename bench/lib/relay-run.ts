import type { Knex } from 'knex';
import { createRelay, type RelayOptions } from '../../packages/relay/src/index.js';
import { brokers } from './kafka.js';

export interface DrainResult {
  readonly rows: number;
  readonly published: number;
  readonly ms: number;
  /** Messages per second. */
  readonly rate: number;
  readonly finished: boolean;
}

/**
 * Runs an in-process relay with default settings (plus `overrides`) until it has
 * published `rows` messages or `timeoutMs` passed, and stops it.
 */
export async function drainInProcess(
  knex: Knex,
  rows: number,
  timeoutMs: number,
  overrides: Partial<RelayOptions> = {},
): Promise<DrainResult> {
  const relay = createRelay({ knex, kafka: { brokers: brokers() }, ...overrides });
  let published = 0;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });

  relay.on('published', ({ ids }) => {
    published += ids.length;
    if (published >= rows) finish();
  });
  const timer = setTimeout(finish, timeoutMs);

  const start = performance.now();
  await relay.start();
  await done;
  const ms = performance.now() - start;
  clearTimeout(timer);
  await relay.stop();

  return { rows, published, ms, rate: (published / ms) * 1000, finished: published >= rows };
}
