import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_DIALECTS, type TestDatabase } from '../../../test/support/databases.js';
import { claimRows } from '../src/sql/claim.js';
import { createSqlContext, type SqlContext } from '../src/sql/context.js';
import { laneCondition } from '../src/sql/lane.js';
import { createOutboxDatabase, insertMany, OUTBOX } from './support/outbox.js';

const LANES = 3;
const KEYS = 60;

describe('laneCondition', () => {
  const context = { dialect: 'postgres' } as SqlContext;

  it('is always true without lanes', () => {
    expect(laneCondition(context, undefined)).toBe('1 = 1');
    expect(laneCondition(context, { index: 0, count: 1 })).toBe('1 = 1');
  });

  it('rejects a lane outside its count', () => {
    expect(() => laneCondition(context, { index: 3, count: 3 })).toThrow(/invalid lane 3 of 3/);
    expect(() => laneCondition(context, { index: -1, count: 2 })).toThrow(RangeError);
  });
});

describe.each(ALL_DIALECTS)('lanes on %s', (dialect) => {
  let db: TestDatabase;
  let sql: SqlContext;

  beforeAll(async () => {
    db = await createOutboxDatabase(dialect, 'ks_relay_lane');
    sql = createSqlContext(db.knex, { table: OUTBOX, schema: undefined }, 'hold');
    const keyed = Array.from({ length: KEYS * 3 }, (_, n) => ({ topic: 't', key: `order-${n % KEYS}` }));
    const unkeyed = Array.from({ length: 30 }, () => ({ topic: 't', key: null }));
    await insertMany(db.knex, [...keyed, ...unkeyed]);
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('splits the keys into disjoint lanes', async () => {
    const lanes = [];
    for (let index = 0; index < LANES; index += 1) {
      const rows = await claimRows(sql, {
        claimId: `lane-${index}`,
        relayId: 'test',
        limit: 1000,
        leaseMs: 60_000,
        lane: { index, count: LANES },
      });
      lanes.push(rows);
    }

    const ids = lanes.flat().map((row) => row.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(KEYS * 3 + 30);

    const laneOfKey = new Map<string, number>();
    for (const [index, rows] of lanes.entries()) {
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        if (row.key === null) continue;
        expect(laneOfKey.get(row.key) ?? index).toBe(index);
        laneOfKey.set(row.key, index);
      }
    }
    expect(laneOfKey.size).toBe(KEYS);
  });
});
