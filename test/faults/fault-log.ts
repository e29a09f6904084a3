import type { Knex } from 'knex';
import { OUTBOX } from './outbox-state.js';

/** One injected fault and the outbox ids in flight around it. */
export interface FaultRecord {
  readonly kind: string;
  /** Time since the scenario started, in ms. */
  readonly atMs: number;
  /** Outbox ids claimed by a relay at the fault or during its window: the rows that may be published twice. */
  readonly inFlight: Set<string>;
  /** For a killed relay: ms until no row was held by it any more, or null when it held none. */
  takeoverMs: number | null;
  detail: string;
}

/** The faults of one scenario, with snapshots of the claimed rows around each. */
export class FaultLog {
  readonly records: FaultRecord[] = [];
  private readonly startedAt = Date.now();

  constructor(private readonly knex: Knex) {}

  add(kind: string, detail = ''): FaultRecord {
    const record: FaultRecord = { kind, atMs: Date.now() - this.startedAt, inFlight: new Set(), takeoverMs: null, detail };
    this.records.push(record);
    return record;
  }

  /** Adds the ids of rows claimed now (by `relayId`, or by anyone) to the record; a database that is down adds nothing. */
  async snapshot(record: FaultRecord, relayId?: string): Promise<number> {
    try {
      const query = this.knex(OUTBOX).select(this.knex.raw('CAST(id AS CHAR(20)) AS id')).whereNotNull('claim_id');
      if (relayId !== undefined) query.where('claimed_by', relayId);
      const rows = (await query) as { id: string }[];
      for (const row of rows) record.inFlight.add(String(row.id).trim());
      return rows.length;
    } catch {
      return 0;
    }
  }

  /** Snapshots every 100 ms until `done` settles, then once more. */
  async watch(record: FaultRecord, done: Promise<unknown>): Promise<void> {
    let finished = false;
    void done.finally(() => {
      finished = true;
    });
    while (!finished) {
      await this.snapshot(record);
      await Promise.race([done.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 100))]);
    }
    await this.snapshot(record);
  }
}
