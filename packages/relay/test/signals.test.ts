import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { FORCED_EXIT_CODE, installSignalHandlers, type Relay } from '../src/index.js';

/** Creates a relay stand-in whose stop() resolves only when the test calls finish(). */
function fakeRelay() {
  let finish: (error?: Error) => void = () => {};
  const stopCalls: unknown[] = [];
  const relay = {
    stop(options: unknown) {
      stopCalls.push(options);
      return new Promise<void>((resolve, reject) => {
        finish = (error) => (error ? reject(error) : resolve());
      });
    },
  } as unknown as Relay;
  return { relay, stopCalls, finish: (error?: Error) => finish(error) };
}

describe('installSignalHandlers', () => {
  let uninstall: (() => void) | undefined;
  const logger = pino({ level: 'silent' });

  afterEach(() => {
    uninstall?.();
  });

  it('stops gracefully and exits 0 on the first signal', async () => {
    const { relay, stopCalls, finish } = fakeRelay();
    const exits: number[] = [];
    uninstall = installSignalHandlers(relay, logger, { graceMs: 1234, exit: (code) => exits.push(code) });

    process.emit('SIGTERM', 'SIGTERM');
    expect(stopCalls).toEqual([{ graceMs: 1234 }]);
    expect(exits).toEqual([]);

    finish();
    await new Promise((resolve) => setImmediate(resolve));
    expect(exits).toEqual([0]);
  });

  it('forces exit on a second signal', () => {
    const { relay } = fakeRelay();
    const exits: number[] = [];
    uninstall = installSignalHandlers(relay, logger, { exit: (code) => exits.push(code) });

    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGTERM', 'SIGTERM');

    expect(exits).toEqual([FORCED_EXIT_CODE]);
    expect(FORCED_EXIT_CODE).toBe(130);
  });

  it('exits 1 when stop fails', async () => {
    const { relay, finish } = fakeRelay();
    const exits: number[] = [];
    uninstall = installSignalHandlers(relay, logger, { exit: (code) => exits.push(code) });

    process.emit('SIGTERM', 'SIGTERM');
    finish(new Error('pool destroy failed'));
    await new Promise((resolve) => setImmediate(resolve));

    expect(exits).toEqual([1]);
  });
});
