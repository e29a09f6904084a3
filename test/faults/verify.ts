import type { FaultRecord } from './fault-log.js';
import type { CommittedItem, OutboxEntry } from './outbox-state.js';
import type { SeenMessage } from './read-topics.js';
import type { PoisonKind } from './workload.js';

export interface VerifyInput {
  readonly committed: readonly CommittedItem[];
  readonly rolledBackTx: ReadonlySet<string>;
  readonly outbox: readonly OutboxEntry[];
  readonly seen: readonly SeenMessage[];
  /** Outbox message ids of the poison rows, with their kind. */
  readonly poison: ReadonlyMap<string, PoisonKind>;
  readonly faults: readonly FaultRecord[];
}

export interface VerifyResult {
  readonly violations: string[];
  readonly committedRows: number;
  readonly messages: number;
  readonly lost: number;
  readonly duplicates: number;
  /** Duplicate messages by the fault whose in-flight rows held them. */
  readonly duplicatesByFault: Map<FaultRecord | null, number>;
  readonly parked: number;
}

function sample(ids: Iterable<string>, max = 10): string {
  const list = [...ids];
  return list.length <= max ? list.join(', ') : `${list.slice(0, max).join(', ')} … (${list.length} in all)`;
}

function checkDelivery(input: VerifyInput, violations: string[]): number {
  const seenItems = new Set(input.seen.map((message) => message.itemId));
  const inOutbox = new Set(input.outbox.map((row) => row.itemId));
  const unpublished = input.committed.filter((item) => !seenItems.has(item.id));
  // A row still in the outbox is late, not lost: checkOutbox reports it as not drained.
  const lost = unpublished.filter((item) => !inOutbox.has(item.id));
  if (lost.length > 0) violations.push(`lost: ${lost.length} committed rows neither reached Kafka nor are in the outbox (item ids ${sample(lost.map((item) => item.id))})`);

  const committedIds = new Set(input.committed.map((item) => item.id));
  const leaked = input.seen.filter((message) => message.tx !== null && input.rolledBackTx.has(message.tx));
  if (leaked.length > 0) violations.push(`rolled back but published: ${leaked.length} messages (tx ${sample(new Set(leaked.map((m) => m.tx as string)))})`);
  const phantom = input.seen.filter((message) => message.tx !== null && !committedIds.has(message.itemId as string));
  if (phantom.length > 0) violations.push(`published but never committed: ${phantom.length} messages (item ids ${sample(phantom.map((m) => m.itemId as string))})`);
  return lost.length;
}

function checkOrder(input: VerifyInput, violations: string[]): void {
  const byKey = new Map<string, SeenMessage[]>();
  for (const message of input.seen) {
    if (message.key === null || message.seq === null) continue;
    const list = byKey.get(message.key) ?? [];
    list.push(message);
    byKey.set(message.key, list);
  }
  for (const [key, messages] of byKey) {
    const places = new Set(messages.map((m) => `${m.topic}/${m.partition}`));
    if (places.size > 1) violations.push(`key ${key} is on more than one partition: ${[...places].join(', ')}`);
    messages.sort((a, b) => a.offset - b.offset);
    const firsts: number[] = [];
    const seenSeqs = new Set<number>();
    for (const message of messages) {
      if (seenSeqs.has(message.seq as number)) continue;
      seenSeqs.add(message.seq as number);
      firsts.push(message.seq as number);
    }
    const broken = firsts.findIndex((seq, index) => index > 0 && seq <= (firsts[index - 1] as number));
    if (broken > 0) {
      violations.push(`order: key ${key} first appearances go ${firsts[broken - 1]} then ${firsts[broken]} (sequence ${firsts.slice(0, 12).join(',')}…)`);
    }
  }
}

function checkOutbox(input: VerifyInput, violations: string[]): number {
  const pending = input.outbox.filter((row) => !row.parked);
  if (pending.length > 0) violations.push(`not drained: ${pending.length} rows still pending (outbox ids ${sample(pending.map((row) => row.id))})`);

  const parked = input.outbox.filter((row) => row.parked);
  for (const row of parked) {
    const kind = input.poison.get(row.messageId);
    if (kind === undefined) violations.push(`outbox id ${row.id} (item ${row.itemId}) is parked but is no poison row: ${row.lastError}`);
    else if (row.lastError === null || row.lastError === '') violations.push(`parked outbox id ${row.id} has no stored error`);
    else if (kind === 'too-large' && !row.lastError.includes('MESSAGE_TOO_LARGE')) {
      violations.push(`parked too-large outbox id ${row.id} has an error that does not name MESSAGE_TOO_LARGE: ${row.lastError}`);
    }
  }
  const parkedIds = new Set(parked.map((row) => row.messageId));
  for (const [messageId, kind] of input.poison) {
    if (!parkedIds.has(messageId)) violations.push(`${kind} poison row with message id ${messageId} is not parked in the outbox`);
  }
  const poisonOnTopic = input.seen.filter((message) => message.tx === null && message.key?.startsWith('poison-'));
  if (poisonOnTopic.length > 0) violations.push(`${poisonOnTopic.length} poison rows reached a topic`);
  return parked.length;
}

function countDuplicates(input: VerifyInput, violations: string[]) {
  const copies = new Map<string, number>();
  for (const message of input.seen) {
    if (message.outboxId === null) continue;
    copies.set(message.outboxId, (copies.get(message.outboxId) ?? 0) + 1);
  }
  const byFault = new Map<FaultRecord | null, number>();
  let duplicates = 0;
  const unexplained: string[] = [];
  for (const [outboxId, count] of copies) {
    if (count < 2) continue;
    duplicates += count - 1;
    const fault = input.faults.find((record) => record.inFlight.has(outboxId)) ?? null;
    if (fault === null) unexplained.push(outboxId);
    byFault.set(fault, (byFault.get(fault) ?? 0) + count - 1);
  }
  if (unexplained.length > 0) violations.push(`duplicates of rows in flight at no fault: outbox ids ${sample(unexplained)}`);
  return { duplicates, byFault };
}

/** Checks the invariants of a run from what committed, what the outbox holds and what the topics hold. */
export function verify(input: VerifyInput): VerifyResult {
  const violations: string[] = [];
  const lost = checkDelivery(input, violations);
  checkOrder(input, violations);
  const parked = checkOutbox(input, violations);
  const { duplicates, byFault } = countDuplicates(input, violations);
  return {
    violations,
    committedRows: input.committed.length,
    messages: input.seen.length,
    lost,
    duplicates,
    duplicatesByFault: byFault,
    parked,
  };
}
