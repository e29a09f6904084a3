import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../../test/support/databases.js';
import { claimRows } from '../src/sql/claim.js';
import { captureClaimStatement } from './support/claim-statement.js';
import { createSqlContext } from '../src/sql/context.js';
import { createOutboxDatabase, OUTBOX } from './support/outbox.js';

const PENDING = 20_000;
const KEYS = 10;

interface PlanNode {
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
}

// Work is counted in buffer pages, not in time. A claim that probes every earlier
// row of a key for each candidate read about 40,000 pages here, this one under 1,000.
describe('claim plan on a PostgreSQL outbox without statistics', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createOutboxDatabase('postgres', 'ks_relay_plan');
    await db.knex.raw('ALTER TABLE ?? SET (autovacuum_enabled = false)', [OUTBOX]);
    await db.knex.raw(
      `INSERT INTO ?? (message_id, topic, message_key, message_type, payload, headers)
       SELECT gen_random_uuid(), 't', 'key-' || (n % ${KEYS}), 'create', '{}', '{}' FROM generate_series(1, ${PENDING}) AS n`,
      [OUTBOX],
    );
    // One leased row per key, as while a batch is in flight: every later row is held back.
    await db.knex.raw(
      `UPDATE ?? SET claim_id = 'in-flight', claimed_by = 'other', claimed_until = now() + interval '1 hour'
       WHERE id IN (SELECT min(id) FROM ?? GROUP BY message_key)`,
      [OUTBOX, OUTBOX],
    );
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('reads a bounded number of pages', async () => {
    const { sql, bindings } = await captureClaimStatement(OUTBOX, 100);
    let plan: PlanNode | undefined;
    await db.knex
      .transaction(async (trx) => {
        const result = await trx.raw(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, [...bindings]);
        plan = result.rows[0]['QUERY PLAN'][0].Plan as PlanNode;
        throw new Error('rollback');
      })
      .catch((error: Error) => {
        if (error.message !== 'rollback') throw error;
      });

    const pages = (plan?.['Shared Hit Blocks'] ?? 0) + (plan?.['Shared Read Blocks'] ?? 0);
    expect(plan).toBeDefined();
    expect(pages).toBeLessThan(20_000);
  });

  it('claims nothing behind the leased rows', async () => {
    const context = createSqlContext(db.knex, { table: OUTBOX, schema: undefined }, 'hold');
    const rows = await claimRows(context, { claimId: 'behind', relayId: 'test', limit: 100, leaseMs: 60_000 });
    expect(rows).toEqual([]);
  });
});
