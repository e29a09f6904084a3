import type { Knex } from 'knex';
import { claimRows } from '../../src/sql/claim.js';
import type { SqlContext } from '../../src/sql/context.js';

/** A statement that a Knex stand-in received, thrown to stop the caller there. */
class CapturedStatement extends Error {
  constructor(
    readonly sql: string,
    readonly bindings: readonly Knex.Value[],
  ) {
    super('statement captured');
  }
}

/**
 * Captures the relay's own PostgreSQL claim statement and its bindings from
 * claimRows, through a Knex stand-in, for EXPLAIN. The claim is taken without lanes.
 */
export async function captureClaimStatement(table: string, limit: number): Promise<{ sql: string; bindings: readonly Knex.Value[] }> {
  const capture = {
    raw(sql: string, bindings: readonly Knex.Value[]) {
      throw new CapturedStatement(sql, bindings);
    },
  } as unknown as Knex;
  const context: SqlContext = { knex: capture, dialect: 'postgres', table, policy: 'hold' };

  try {
    await claimRows(context, { claimId: '00000000-0000-4000-8000-000000000000', relayId: 'explain', limit, leaseMs: 60_000 });
  } catch (error) {
    if (error instanceof CapturedStatement) return { sql: error.sql, bindings: error.bindings };
    throw error;
  }
  throw new Error('claimRows ran no statement');
}
