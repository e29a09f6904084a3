import { describe, expect, it } from 'vitest';
import { FIRST_IDLE_WAIT_MS, idleWaitMs } from '../src/backoff.js';

describe('idleWaitMs', () => {
  it('starts short after rows were found', () => {
    expect(idleWaitMs(1, 500)).toBe(FIRST_IDLE_WAIT_MS);
  });

  it('doubles per empty poll', () => {
    expect([1, 2, 3, 4, 5].map((n) => idleWaitMs(n, 500))).toEqual([10, 20, 40, 80, 160]);
  });

  it('stops at the poll interval', () => {
    expect(idleWaitMs(7, 500)).toBe(500);
    expect(idleWaitMs(10_000, 500)).toBe(500);
  });

  it('never exceeds a short poll interval', () => {
    expect(idleWaitMs(1, 5)).toBe(5);
  });
});
