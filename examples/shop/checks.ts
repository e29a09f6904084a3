import type { Expectation, LedgerData } from './ledger.js';
import type { ParsedMessage } from './message-shape.js';

/** One broken guarantee, with where it was seen. */
export interface Violation {
  readonly check: string;
  readonly detail: string;
}

/** Messages of one object (topic and id) in offset order. */
export type ObjectMessages = ReadonlyMap<string, readonly ParsedMessage[]>;

const NOTE = /note-[a-z0-9]+-\d+/g;

export function objectKey(topic: string, id: unknown): string {
  return `${topic}|${String(id)}`;
}

/** Groups the object messages (not enumerate or eos) by topic and id, each group in offset order. */
export function groupByObject(messages: readonly ParsedMessage[]): ObjectMessages {
  const groups = new Map<string, ParsedMessage[]>();
  for (const parsed of messages) {
    if (parsed.body === undefined || parsed.type === 'enumerate' || parsed.type === 'eos') continue;
    const key = objectKey(parsed.message.topic, parsed.id);
    const group = groups.get(key) ?? [];
    group.push(parsed);
    groups.set(key, group);
  }
  for (const group of groups.values()) group.sort((a, b) => (a.message.offset < b.message.offset ? -1 : 1));
  return groups;
}

function relatedVersionMatches(body: Record<string, unknown>, expected: Expectation): boolean {
  const related = expected.related;
  if (related === undefined) return true;

  const value = body[related.field];
  const candidates = Array.isArray(value) ? value : [value];
  return candidates.some((row) => {
    const object = row as Record<string, unknown> | null;
    return object !== null && object.id === related.id && object.version === related.version;
  });
}

/** Whether a message carries the state that an expectation names. */
export function matches(parsed: ParsedMessage, expected: Expectation): boolean {
  const body = parsed.body;
  if (body === undefined || parsed.type !== expected.type) return false;
  if ((body.version ?? null) !== expected.version) return false;
  if (expected.note !== null && body.note !== expected.note) return false;
  return relatedVersionMatches(body, expected);
}

/**
 * Whether the last message of an object leaves a consumer with the last committed
 * state: a delete after a delete, else the last version. The type may differ,
 * because a related change can re-stream a created object as `update`.
 */
function carriesFinalState(last: ParsedMessage, final: Expectation): boolean {
  if ((final.type === 'delete') !== (last.type === 'delete')) return false;
  if (final.type === 'delete' && final.version === null) return true;
  return (last.body?.version ?? null) === final.version;
}

/** Index of the first message matching each expectation of one object, or -1. */
export function firstArrivals(group: readonly ParsedMessage[], expectations: readonly Expectation[]): number[] {
  return expectations.map((expected) => group.findIndex((parsed) => matches(parsed, expected)));
}

function describe(expected: Expectation): string {
  const related = expected.related === undefined ? '' : ` with ${expected.related.field} ${expected.related.id} v${expected.related.version}`;
  return `${expected.type} of ${expected.topic} id ${expected.id} v${expected.version ?? '-'}${related} (commit #${expected.seq})`;
}

/** Every committed change arrived, and per object the first arrivals follow commit order. */
export function checkArrivalsAndOrder(
  byObject: ReadonlyMap<string, readonly Expectation[]>,
  groups: ObjectMessages,
): Violation[] {
  const violations: Violation[] = [];

  for (const [key, expectations] of byObject) {
    const group = groups.get(key) ?? [];
    const arrivals = firstArrivals(group, expectations);
    let previous = -1;

    arrivals.forEach((index, i) => {
      const expected = expectations[i] as Expectation;
      if (index < 0) {
        violations.push({ check: 'missing', detail: `${describe(expected)} never arrived` });
        return;
      }
      if (index <= previous) {
        violations.push({
          check: 'order',
          detail: `${describe(expected)} first arrived at offset ${group[index]?.message.offset}, before an earlier commit's message at offset ${group[previous]?.message.offset}`,
        });
      }
      previous = Math.max(previous, index);
    });

    const last = group[group.length - 1];
    const final = expectations[expectations.length - 1];
    if (last !== undefined && final !== undefined && !carriesFinalState(last, final)) {
      violations.push({
        check: 'final state',
        detail: `last message of ${key} is ${last.type} v${String(last.body?.version ?? '-')}, but the last commit was ${describe(final)}`,
      });
    }
  }
  return violations;
}

/** No message carries a note that only rolled-back work wrote. */
export function checkRolledBack(messages: readonly ParsedMessage[], forbiddenNotes: readonly string[]): Violation[] {
  const forbidden = new Set(forbiddenNotes);
  const violations: Violation[] = [];

  for (const { message } of messages) {
    for (const note of message.value?.match(NOTE) ?? []) {
      if (forbidden.has(note)) {
        violations.push({
          check: 'rolled back',
          detail: `${note}, written only by rolled-back work, arrived in ${message.topic} partition ${message.partition} offset ${message.offset}`,
        });
      }
    }
  }
  return violations;
}

/** Messages with the same message-id header are byte-identical copies. */
export function checkDuplicates(messages: readonly ParsedMessage[]): { duplicates: number; violations: Violation[] } {
  const seen = new Map<string, ParsedMessage>();
  const violations: Violation[] = [];
  let duplicates = 0;

  for (const parsed of messages) {
    const id = parsed.message.headers['message-id'];
    if (id === undefined) continue;
    const first = seen.get(id);
    if (first === undefined) {
      seen.set(id, parsed);
      continue;
    }
    duplicates += 1;
    if (first.message.value !== parsed.message.value || first.message.key !== parsed.message.key) {
      violations.push({ check: 'duplicate', detail: `two different messages share message-id ${id}` });
    }
  }
  return { duplicates, violations };
}

/** The enumerate messages of a full refresh list exactly the ids that existed. */
export function checkRefreshes(data: LedgerData, messages: readonly ParsedMessage[]): Violation[] {
  const violations: Violation[] = [];

  for (const refresh of data.refreshes) {
    const listed = new Set<unknown>();
    for (const parsed of messages) {
      if (parsed.message.topic !== refresh.topic || parsed.type !== 'enumerate') continue;
      for (const id of (parsed.body?.ids as unknown[] | undefined) ?? []) listed.add(id);
    }
    const missing = refresh.ids.filter((id) => !listed.has(id));
    const expected = new Set<unknown>(refresh.ids);
    const extra = [...listed].filter((id) => !expected.has(id));
    if (missing.length > 0 || extra.length > 0) {
      violations.push({
        check: 'enumerate',
        detail: `enumerate of ${refresh.topic} misses ids ${JSON.stringify(missing.slice(0, 10))} and lists unknown ids ${JSON.stringify(extra.slice(0, 10))}`,
      });
    }
  }
  return violations;
}

/** Groups the expectations by object, each group in commit order, identical ones once. */
export function expectationsByObject(expectations: readonly Expectation[]): Map<string, Expectation[]> {
  const byObject = new Map<string, Expectation[]>();
  const sorted = [...expectations].sort((a, b) => a.seq - b.seq);
  for (const expected of sorted) {
    const key = objectKey(expected.topic, expected.id);
    const group = byObject.get(key) ?? [];
    const same = group.some(
      (other) =>
        other.type === expected.type &&
        other.version === expected.version &&
        other.note === expected.note &&
        JSON.stringify(other.related) === JSON.stringify(expected.related),
    );
    if (!same) group.push(expected);
    byObject.set(key, group);
  }
  return byObject;
}
