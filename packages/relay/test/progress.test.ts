import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ProgressLog } from '../src/progress.js';

function capture() {
  const lines: { level: number; msg: string; published?: number; batches?: number }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { lines, logger };
}

const batch = { rows: 10, published: 8, parked: 1, retried: 1, released: 0, durationMs: 5 };

describe('ProgressLog', () => {
  it('logs one info line for batches', () => {
    const { lines, logger } = capture();
    const progress = new ProgressLog(logger, 60_000);
    progress.add(batch);
    progress.add(batch);

    const totals = progress.stop();
    expect(totals).toEqual({ batches: 2, published: 16, parked: 2, retried: 2, released: 0 });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.msg).toMatch(/^published 16 messages in 2 batches/);
    expect(lines[0]?.level).toBe(30);
  });

  it('counts rows released at stop', () => {
    const { logger } = capture();
    const progress = new ProgressLog(logger, 60_000);
    progress.addReleased(500);

    expect(progress.stop().released).toBe(500);
  });

  it('stays quiet without batches', () => {
    const { lines, logger } = capture();
    const progress = new ProgressLog(logger, 60_000);
    progress.start();

    expect(progress.stop()).toEqual({ batches: 0, published: 0, parked: 0, retried: 0, released: 0 });
    expect(lines).toEqual([]);
  });
});
