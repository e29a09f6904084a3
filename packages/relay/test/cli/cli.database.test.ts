import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OUTBOX_COLUMNS as C } from '@kafka-streamer/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_DIALECTS, createTestDatabase, type TestDatabase } from '../../../../test/support/databases.js';
import { requireBuiltCli, runCliProcess } from './support/cli-process.js';
import { insertParked, insertPending, TABLE } from './support/outbox-rows.js';

interface StatusJson {
  outbox: string;
  pending: number;
  claimed: number;
  retrying: number;
  parked: number;
  oldestPendingAgeSeconds: number | null;
  parkedRows: { id: string; topic: string; key: string | null; attempts: number; lastError: string | null; parkedAt: string }[];
  parkedRowsTruncated: boolean;
}

describe.each(ALL_DIALECTS)('CLI on %s', (dialect) => {
  let db: TestDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    requireBuiltCli();
    db = await createTestDatabase(dialect, 'ks_cli');
    env = { KAFKA_STREAMER_DATABASE_URL: db.url };
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('reads the database URL from --config', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ks-cli-config-')), 'relay.json');
    writeFileSync(file, JSON.stringify({ databaseUrl: db.url, outboxTable: 'from_file_outbox' }));

    const result = await runCliProcess(['migrate', '--config', file]);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('outbox from_file_outbox: 2 migration(s) applied');
    expect(await db.knex.schema.hasTable('from_file_outbox')).toBe(true);
  });

  it('status before migrate exits 1', async () => {
    const result = await runCliProcess(['status'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`outbox table ${TABLE} not found: run \`kafka-streamer-relay migrate\``);
  });

  it('migrate applies the outbox migration', async () => {
    const result = await runCliProcess(['migrate'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('applied 20261204000000_create_kafka_streamer_outbox');
    expect(await db.knex.schema.hasTable(TABLE)).toBe(true);
  });

  it('migrate again applies nothing', async () => {
    const result = await runCliProcess(['migrate'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('is up to date; no migration applied');
  });

  it('status shows pending and parked rows', async () => {
    await insertPending(db.knex, 'orders', 'order-1', '{"n":1}');
    await insertPending(db.knex, 'orders', 'order-2', '{"n":2}');
    const parkedId = await insertParked(db.knex, 'payments', 'pay-9', 'MESSAGE_TOO_LARGE: too big');

    const result = await runCliProcess(['status'], env);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/pending rows\s+2\n/);
    expect(result.stdout).toMatch(/parked rows\s+1\n/);
    expect(result.stdout).toMatch(/claimed now\s+0\n/);
    expect(result.stdout).toMatch(new RegExp(`${parkedId}\\s+payments\\s+pay-9\\s+10\\s+\\S+\\s+MESSAGE_TOO_LARGE: too big`));
  });

  it('status --json has counts, age and parked rows', async () => {
    const result = await runCliProcess(['status', '--json'], env);
    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout) as StatusJson;

    expect(status.pending).toBe(2);
    expect(status.parked).toBe(1);
    expect(status.claimed).toBe(0);
    expect(status.retrying).toBe(0);
    expect(status.oldestPendingAgeSeconds).toBeGreaterThanOrEqual(0);
    expect(status.oldestPendingAgeSeconds).toBeLessThan(600);
    expect(status.parkedRowsTruncated).toBe(false);
    expect(status.parkedRows).toHaveLength(1);

    const [parked] = status.parkedRows;
    expect(parked?.topic).toBe('payments');
    expect(parked?.key).toBe('pay-9');
    expect(parked?.attempts).toBe(10);
    expect(parked?.lastError).toBe('MESSAGE_TOO_LARGE: too big');
    expect(Date.parse(parked?.parkedAt ?? '')).not.toBeNaN();
  });

  it('status --limit truncates parked rows', async () => {
    await insertParked(db.knex, 'payments', null, 'second failure');
    const result = await runCliProcess(['status', '--json', '--limit', '1'], env);
    const status = JSON.parse(result.stdout) as StatusJson;

    expect(status.parked).toBe(2);
    expect(status.parkedRows).toHaveLength(1);
    expect(status.parkedRowsTruncated).toBe(true);
  });

  it('requeue --id moves one parked row to pending', async () => {
    const parkedId = await insertParked(db.knex, 'payments', 'pay-10', 'broker down');
    const result = await runCliProcess(['requeue', '--id', parkedId, '999999'], env);

    expect(result.code).toBe(0);
    expect(result.stdout).toBe('requeued 1 parked row(s)\n');
    expect(result.stderr).toContain('not parked, left unchanged: 999999');

    const row = await db.knex(TABLE).where(C.id, parkedId).first();
    expect(row[C.parkedAt]).toBeNull();
    expect(Number(row[C.attempts])).toBe(0);
    expect(row[C.lastError]).toBe('broker down');
  });

  it('requeue --all moves every parked row', async () => {
    const result = await runCliProcess(['requeue', '--all'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('requeued 2 parked row(s)\n');

    const status = JSON.parse((await runCliProcess(['status', '--json'], env)).stdout) as StatusJson;
    expect(status.parked).toBe(0);
    expect(status.pending).toBe(5);
    expect(status.parkedRows).toEqual([]);
  });
});
