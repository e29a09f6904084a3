import { DEFAULT_OUTBOX_TABLE } from '@kafka-streamer/core';
import type { Knex } from 'knex';
import { claimRows } from '../../packages/relay/src/sql/claim.js';
import type { SqlContext } from '../../packages/relay/src/sql/context.js';

export interface ClaimPlan {
  readonly indexScan: boolean;
  readonly sort: boolean;
  readonly seqScanOnOutbox: boolean;
  readonly executionMs: number;
  /** Rows the claim returned. */
  readonly rows: number;
  /** Node types of the plan, depth first, with the index or table each one reads. */
  readonly nodes: string[];
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

class CapturedStatement extends Error {
  constructor(
    readonly sql: string,
    readonly bindings: readonly unknown[],
  ) {
    super('statement captured');
  }
}

/** The relay's PostgreSQL claim statement, taken from its own code, with its bindings. */
async function claimStatement(table: string): Promise<CapturedStatement> {
  const capture = {
    raw(sql: string, bindings: readonly unknown[]) {
      throw new CapturedStatement(sql, bindings);
    },
  } as unknown as Knex;
  const context: SqlContext = { knex: capture, dialect: 'postgres', table, policy: 'hold' };
  try {
    await claimRows(context, { claimId: '00000000-0000-4000-8000-000000000000', relayId: 'bench-explain', limit: 500, leaseMs: 30_000 });
  } catch (error) {
    if (error instanceof CapturedStatement) return error;
    throw error;
  }
  throw new Error('claimRows ran no statement');
}

function flatten(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(flatten)];
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of one claim on the outbox, inside a transaction that
 * is rolled back, so that no row stays claimed. With `leasedRows`, the first rows
 * are leased first, as while a relay's earlier batch is in flight.
 */
export async function explainClaim(knex: Knex, leasedRows = 0): Promise<ClaimPlan> {
  const statement = await claimStatement(DEFAULT_OUTBOX_TABLE);
  const trx = await knex.transaction();
  try {
    if (leasedRows > 0) {
      await trx.raw(
        `UPDATE ${DEFAULT_OUTBOX_TABLE} SET claim_id = 'in-flight', claimed_by = 'bench', claimed_until = clock_timestamp() + interval '30 seconds'
         WHERE id IN (SELECT id FROM ${DEFAULT_OUTBOX_TABLE} ORDER BY id LIMIT ?)`,
        [leasedRows],
      );
    }
    const result = await trx.raw(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement.sql}`, statement.bindings as Knex.RawBinding[]);
    const [explained] = result.rows[0]['QUERY PLAN'] as [{ Plan: PlanNode & { 'Actual Rows': number }; 'Execution Time': number }];
    const nodes = flatten(explained.Plan);
    const outboxNodes = nodes.filter((node) => node['Relation Name'] === DEFAULT_OUTBOX_TABLE);
    return {
      indexScan: outboxNodes.some((node) => node['Node Type'].startsWith('Index')),
      sort: nodes.some((node) => node['Node Type'].includes('Sort')),
      seqScanOnOutbox: outboxNodes.some((node) => node['Node Type'] === 'Seq Scan'),
      executionMs: explained['Execution Time'],
      rows: explained.Plan['Actual Rows'],
      nodes: nodes.map((node) => [node['Node Type'], node['Index Name'] ?? node['Relation Name']].filter(Boolean).join(' ')),
    };
  } finally {
    await trx.rollback();
  }
}
