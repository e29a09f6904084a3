import { sqlNowPlusMs } from '@kafka-streamer/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ALL_DIALECTS, type TestDatabase } from '../../../test/support/databases.js';
import { claimRows } from '../src/sql/claim.js';
import { createSqlContext, type SqlContext } from '../src/sql/context.js';
import { releaseOutOfOrder } from '../src/sql/release-out-of-order.js';
import { createOutboxDatabase, insertRows, OUTBOX } from './support/outbox.js';

describe.each(ALL_DIALECTS)('claiming on %s', (dialect) => {
  let db: TestDatabase;
  let hold: SqlContext;
  let skip: SqlContext;
  let claims = 0;

  const claim = (context: SqlContext, limit = 100) =>
    claimRows(context, { claimId: `claim-${++claims}`, relayId: 'test', limit, leaseMs: 60_000 }).then((rows) =>
      rows.map((row) => row.id),
    );
  const inFuture = (ms: number) => db.knex.raw(sqlNowPlusMs(hold.dialect), [ms]);

  beforeAll(async () => {
    db = await createOutboxDatabase(dialect, 'ks_relay_claim');
    hold = createSqlContext(db.knex, { table: OUTBOX, schema: undefined }, 'hold');
    skip = createSqlContext(db.knex, { table: OUTBOX, schema: undefined }, 'skip');
  });

  beforeEach(async () => {
    await db.knex(OUTBOX).del();
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('claims in id order up to the limit', async () => {
    const ids = await insertRows(db.knex, [{ topic: 't', key: 'a' }, { topic: 't', key: 'b' }, { topic: 't', key: null }]);

    expect(await claim(hold, 2)).toEqual(ids.slice(0, 2));
    expect(await claim(hold)).toEqual(ids.slice(2));
    expect(await claim(hold)).toEqual([]);
  });

  it('holds later rows of a key behind a valid lease', async () => {
    const [first, second, other] = await insertRows(db.knex, [
      { topic: 't', key: 'a' },
      { topic: 't', key: 'a' },
      { topic: 't', key: 'b' },
    ]);
    await db.knex(OUTBOX).where('id', first).update({ claim_id: 'elsewhere', claimed_by: 'x', claimed_until: inFuture(60_000) });

    expect(await claim(hold)).toEqual([other]);
    await db.knex(OUTBOX).where('id', first).update({ claimed_until: inFuture(-1000) });
    expect(await claim(hold)).toEqual([first, second]);
  });

  it('holds later rows of a key behind a pending retry', async () => {
    const [first] = await insertRows(db.knex, [{ topic: 't', key: 'a' }, { topic: 't', key: 'a' }]);
    await db.knex(OUTBOX).where('id', first).update({ available_at: inFuture(60_000), attempts: 1 });

    expect(await claim(hold)).toEqual([]);
  });

  it('holds or skips a parked row by policy', async () => {
    const [parked, later] = await insertRows(db.knex, [{ topic: 't', key: 'a' }, { topic: 't', key: 'a' }]);
    await db.knex(OUTBOX).where('id', parked).update({ parked_at: inFuture(0), last_error: 'test' });

    expect(await claim(hold)).toEqual([]);
    expect(await claim(skip)).toEqual([later]);
  });

  it('releases rows that raced past an earlier row', async () => {
    const [first, second, other] = await insertRows(db.knex, [
      { topic: 't', key: 'a' },
      { topic: 't', key: 'a' },
      { topic: 't', key: 'b' },
    ]);
    // A concurrent claim that skipped `first` (locked by another relay) and took the rest.
    await db.knex(OUTBOX).whereIn('id', [second, other] as string[]).update({ claim_id: 'racer', claimed_by: 'x', claimed_until: inFuture(60_000) });

    expect(await releaseOutOfOrder(hold, 'racer')).toEqual([second]);
    const rows = await db.knex(OUTBOX).select('id', 'claim_id').orderBy('id');
    expect(rows.map((row) => [String(row.id), row.claim_id])).toEqual([
      [first, null],
      [second, null],
      [other, 'racer'],
    ]);
  });
});
