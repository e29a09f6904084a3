import { readFileSync, writeFileSync } from 'node:fs';

export type ChangeType = 'create' | 'update' | 'delete' | 'refresh';

/** A message that must arrive because the change that made it was committed. */
export interface Expectation {
  readonly topic: string;
  readonly id: number;
  readonly type: ChangeType;
  /** The object's `version` field, or null for a delete by id (whose message has no data). */
  readonly version: number | null;
  /** The object's `note` field, when the message carries it; unique per change. */
  readonly note: string | null;
  /**
   * For an update re-streamed because a related object changed: the embedded
   * related object (`customer`, or one entry of the `products` list) that must
   * carry the related object's new version.
   */
  readonly related?: RelatedVersion;
  /** Commit order across the whole run, from 1. */
  readonly seq: number;
  /** Wall-clock time (ms since the epoch) just after the commit returned. */
  readonly committedAt: number;
}

export interface RelatedVersion {
  readonly field: 'customer' | 'products';
  readonly id: number;
  readonly version: number;
}

/** Ids that one full refresh must list in its `enumerate` messages. */
export interface RefreshExpectation {
  readonly topic: string;
  readonly ids: readonly number[];
}

/** Everything the verifier needs: what must arrive, and what must not. */
export interface LedgerData {
  readonly topics: readonly string[];
  readonly expectations: readonly Expectation[];
  /** Notes written only by rolled-back work or merged away by squash: no message may contain one. */
  readonly forbiddenNotes: readonly string[];
  readonly refreshes: readonly RefreshExpectation[];
  readonly committedTransactions: number;
  readonly rolledBackTransactions: number;
}

type Pending = Omit<Expectation, 'seq' | 'committedAt'>;

/**
 * Work of one transaction or savepoint that is not settled yet: its expected
 * messages count only when the outermost transaction commits, and its notes
 * become forbidden when it or an enclosing scope rolls back.
 */
export class LedgerScope {
  private readonly pending: Pending[] = [];
  private readonly notes: string[] = [];
  private readonly discarded: string[] = [];
  private settled = false;

  constructor(
    private readonly ledger: Ledger,
    private readonly parent: LedgerScope | undefined,
  ) {}

  /** Returns a new unique note value, to be written into the row this scope changes. */
  note(): string {
    const value = this.ledger.nextNote();
    this.notes.push(value);
    return value;
  }

  /** Marks a note this scope wrote that must never arrive, such as one merged away by squash. */
  discard(note: string): void {
    this.discarded.push(note);
  }

  expect(change: Pending): void {
    this.pending.push(change);
  }

  /**
   * Merges this scope's expected messages of one object as squash does: a create
   * followed by updates becomes one create with the last state. The notes of the
   * merged-away states must then never arrive.
   */
  squashPending(topic: string, id: number): void {
    const own = this.pending.filter((change) => change.topic === topic && change.id === id);
    const first = own[0];
    const last = own[own.length - 1];
    if (first === undefined || last === undefined || first.type !== 'create' || last.type === 'delete') return;

    for (const change of own.slice(0, -1)) {
      if (change.note !== null) this.discard(change.note);
    }
    const rest = this.pending.filter((change) => !own.includes(change));
    this.pending.length = 0;
    this.pending.push(...rest, { ...last, type: 'create' });
  }

  savepoint(): LedgerScope {
    return new LedgerScope(this.ledger, this);
  }

  /** Marks the scope committed: a savepoint hands its work to its parent, a transaction records it. */
  commit(): void {
    this.settle();
    if (this.parent !== undefined) {
      this.parent.pending.push(...this.pending);
      this.parent.notes.push(...this.notes);
      this.parent.discarded.push(...this.discarded);
      return;
    }
    this.ledger.recordCommit(this.pending, this.discarded);
  }

  /** Marks the scope rolled back: none of its messages may arrive. */
  rollback(): void {
    this.settle();
    this.ledger.recordRollback(this.notes, this.parent === undefined);
  }

  private settle(): void {
    if (this.settled) throw new Error('ledger scope settled twice');
    this.settled = true;
  }
}

/** The expectation ledger of one run, filled by the workload and read by the verifier. */
export class Ledger {
  private readonly expectations: Expectation[] = [];
  private readonly forbidden: string[] = [];
  private readonly refreshes: RefreshExpectation[] = [];
  private noteCounter = 0;
  private ownChanges = 0;
  private seq = 0;
  private committed = 0;
  private rolledBack = 0;

  constructor(
    readonly runId: string,
    readonly topics: readonly string[],
  ) {}

  begin(): LedgerScope {
    return new LedgerScope(this, undefined);
  }

  nextNote(): string {
    this.noteCounter += 1;
    return `note-${this.runId}-${this.noteCounter}`;
  }

  recordCommit(changes: readonly Pending[], discardedNotes: readonly string[]): void {
    const committedAt = Date.now();
    this.committed += 1;
    this.forbidden.push(...discardedNotes);
    this.ownChanges += changes.filter((change) => change.related === undefined).length;
    for (const change of changes) {
      this.seq += 1;
      this.expectations.push({ ...change, seq: this.seq, committedAt });
    }
  }

  recordRollback(notes: readonly string[], wholeTransaction: boolean): void {
    this.forbidden.push(...notes);
    if (wholeTransaction) this.rolledBack += 1;
  }

  expectRefresh(refresh: RefreshExpectation): void {
    this.refreshes.push(refresh);
  }

  /** Committed changes made by the workload itself, re-streams of related objects left out. */
  get committedChanges(): number {
    return this.ownChanges;
  }

  get committedTransactions(): number {
    return this.committed;
  }

  get rolledBackTransactions(): number {
    return this.rolledBack;
  }

  toData(): LedgerData {
    return {
      topics: this.topics,
      expectations: this.expectations,
      forbiddenNotes: this.forbidden,
      refreshes: this.refreshes,
      committedTransactions: this.committed,
      rolledBackTransactions: this.rolledBack,
    };
  }
}

export function saveLedger(path: string, data: LedgerData): void {
  writeFileSync(path, JSON.stringify(data));
}

export function loadLedger(path: string): LedgerData {
  return JSON.parse(readFileSync(path, 'utf8')) as LedgerData;
}
