import { DEFAULT_OUTBOX_TABLE } from '@kafka-streamer/core';
import type { Knex } from 'knex';
import { captureClaimStatement } from '../../packages/relay/test/support/claim-statement.js';

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

function flatten(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(flatten)];
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of one claim on the outbox, inside a transaction that
 * is rolled back, so that no row stays claimed. With `leasedRows`, the first rows
 * are leased first, as while a relay's earlier batch is in flight.
 */
export async function explainClaim(knex: Knex, leasedRows = 0): Promise<ClaimPlan> {
  const statement = await captureClaimStatement(DEFAULT_OUTBOX_TABLE, 500);
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
