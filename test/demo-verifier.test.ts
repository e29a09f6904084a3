import { describe, expect, it } from 'vitest';
import type { ReceivedMessage } from '../examples/shop/consume.js';
import type { Expectation, LedgerData } from '../examples/shop/ledger.js';
import { Ledger } from '../examples/shop/ledger.js';
import { parseMessage } from '../examples/shop/message-shape.js';
import { evaluate } from '../examples/shop/verify.js';

const ORDERS = 'shop-t.orders';
const CUSTOMERS = 'shop-t.customers';
const STATIC = { schema_version: 1, service: 'shop' };
let nextOffset = 0n;

function received(topic: string, body: Record<string, unknown>, overrides: Partial<ReceivedMessage> = {}): ReceivedMessage {
  nextOffset += 1n;
  return {
    topic,
    partition: 0,
    offset: nextOffset,
    key: body.id === null || body.id === undefined ? null : String(body.id),
    value: JSON.stringify(body),
    headers: { 'message-id': `m-${nextOffset}` },
    timestamp: 2_000,
    ...overrides,
  };
}

function customer(type: string, id: number, version: number, note: string) {
  return { _time: '2026-01-01T00:00:00.000Z', _type: type, id, name: 'c', version, note, ...STATIC };
}

function order(type: string, id: number, version: number, note: string, total = '5.00') {
  return {
    _time: '2026-01-01T00:00:00Z',
    _type: type,
    id,
    customer_id: 7,
    version,
    note,
    customer: { id: 7, version: 1 },
    lines: [{ id: 1, order_id: id, product_id: 3, quantity: 2, unit_price: '2.50' }],
    tags: [],
    products: [{ id: 3, version: 1 }],
    total,
    ...STATIC,
  };
}

function expectation(topic: string, id: number, type: Expectation['type'], version: number | null, note: string | null, seq: number): Expectation {
  return { topic, id, type, version, note, seq, committedAt: 1_000 };
}

function ledger(expectations: Expectation[], extra: Partial<LedgerData> = {}): LedgerData {
  return {
    topics: [ORDERS, CUSTOMERS],
    expectations,
    forbiddenNotes: [],
    refreshes: [],
    committedTransactions: expectations.length,
    rolledBackTransactions: 0,
    ...extra,
  };
}

function checksOf(data: LedgerData, messages: ReceivedMessage[]): string[] {
  return evaluate(data, messages.map(parseMessage), ORDERS).violations.map((violation) => violation.check);
}

const twoUpdates = [
  expectation(ORDERS, 1, 'create', 1, 'note-t-1', 1),
  expectation(ORDERS, 1, 'update', 2, 'note-t-2', 2),
];

describe('shop verifier', () => {
  it('accepts a complete, ordered run', () => {
    const messages = [received(ORDERS, order('create', 1, 1, 'note-t-1')), received(ORDERS, order('update', 1, 2, 'note-t-2'))];

    const result = evaluate(ledger(twoUpdates), messages.map(parseMessage), ORDERS);

    expect(result.violations).toEqual([]);
    expect(result.stats.arrived).toBe(2);
    expect(result.stats.lagsMs).toEqual([1000, 1000]);
  });

  it('reports a missing change', () => {
    const messages = [received(ORDERS, order('create', 1, 1, 'note-t-1'))];

    expect(checksOf(ledger(twoUpdates), messages)).toEqual(['missing', 'final state']);
  });

  it('reports changes out of commit order', () => {
    const messages = [
      received(ORDERS, order('update', 1, 2, 'note-t-2')),
      received(ORDERS, order('create', 1, 1, 'note-t-1')),
      received(ORDERS, order('update', 1, 2, 'note-t-2')),
    ];

    expect(checksOf(ledger(twoUpdates), messages)).toEqual(['order']);
  });

  it('reports a stale last message', () => {
    const messages = [
      received(ORDERS, order('create', 1, 1, 'note-t-1')),
      received(ORDERS, order('update', 1, 2, 'note-t-2')),
      received(ORDERS, order('update', 1, 1, 'note-t-1')),
    ];

    expect(checksOf(ledger(twoUpdates), messages)).toEqual(['final state']);
  });

  it('reports a note from rolled-back work', () => {
    const messages = [received(CUSTOMERS, customer('create', 4, 1, 'note-t-9'))];

    expect(checksOf(ledger([], { forbiddenNotes: ['note-t-9'] }), messages)).toEqual(['rolled back']);
  });

  it('reports envelope keys that are not first', () => {
    const { _time, _type, ...data } = customer('create', 4, 1, 'note-t-3');
    const messages = [received(CUSTOMERS, { id: 4, _time, _type, ...data })];

    expect(checksOf(ledger([]), messages)).toContain('shape');
  });

  it('reports a value that is not a JSON object', () => {
    const messages = [received(CUSTOMERS, {}, { value: '"text"', key: '4' })];

    expect(checksOf(ledger([]), messages)).toEqual(['shape']);
  });

  it('reports a key that is not the id', () => {
    const messages = [received(CUSTOMERS, customer('create', 4, 1, 'note-t-3'), { key: '5' })];

    expect(checksOf(ledger([]), messages)).toEqual(['shape']);
  });

  it('reports an order total that is not the sum of its lines', () => {
    const messages = [received(ORDERS, order('create', 1, 1, 'note-t-1', '9.99'))];

    expect(checksOf(ledger([twoUpdates[0] as Expectation]), messages)).toEqual(['content']);
  });

  it('reports two different messages with one message-id', () => {
    const first = received(CUSTOMERS, customer('create', 4, 1, 'note-t-3'));
    const second = received(CUSTOMERS, customer('update', 4, 2, 'note-t-4'), { headers: first.headers });

    const result = evaluate(ledger([]), [first, second].map(parseMessage), ORDERS);

    expect(result.violations.map((violation) => violation.check)).toEqual(['duplicate']);
    expect(result.stats.duplicates).toBe(1);
  });

  it('counts a byte-identical copy as a duplicate only', () => {
    const first = received(CUSTOMERS, customer('create', 4, 1, 'note-t-3'));
    const copy = { ...first, offset: first.offset + 10n };

    const result = evaluate(ledger([]), [first, copy].map(parseMessage), ORDERS);

    expect(result.violations).toEqual([]);
    expect(result.stats.duplicates).toBe(1);
  });

  it('accepts an empty enumerate with a null id', () => {
    const enumerate = { _time: '2026-01-01T00:00:00Z', _type: 'enumerate', ids: [], ...STATIC, id: null };
    const messages = [received(ORDERS, enumerate, { key: null })];

    const data = ledger([], { refreshes: [{ topic: ORDERS, ids: [] }] });

    expect(checksOf(data, messages)).toEqual([]);
  });

  it('reports an enumerate that misses an id', () => {
    const enumerate = { _time: '2026-01-01T00:00:00Z', _type: 'enumerate', ids: [1], ...STATIC, id: 1 };
    const messages = [received(ORDERS, enumerate, { key: null })];

    const data = ledger([], { refreshes: [{ topic: ORDERS, ids: [1, 2] }] });

    expect(checksOf(data, messages)).toEqual(['enumerate']);
  });
});

describe('shop ledger', () => {
  it('keeps changes of a committed savepoint and forbids a rolled-back one', () => {
    const ledgerOfRun = new Ledger('t', [ORDERS]);
    const scope = ledgerOfRun.begin();
    const kept = scope.savepoint();
    kept.expect({ topic: ORDERS, id: 1, type: 'create', version: 1, note: kept.note() });
    kept.commit();
    const dropped = scope.savepoint();
    const droppedNote = dropped.note();
    dropped.expect({ topic: ORDERS, id: 1, type: 'update', version: 2, note: droppedNote });
    dropped.rollback();
    scope.commit();

    const data = ledgerOfRun.toData();

    expect(data.expectations.map((e) => e.type)).toEqual(['create']);
    expect(data.forbiddenNotes).toEqual([droppedNote]);
  });

  it('merges a squashed create and update into one create', () => {
    const ledgerOfRun = new Ledger('t', [ORDERS]);
    const scope = ledgerOfRun.begin();
    const first = scope.note();
    scope.expect({ topic: ORDERS, id: 1, type: 'create', version: 1, note: first });
    scope.expect({ topic: ORDERS, id: 1, type: 'update', version: 2, note: scope.note() });
    scope.squashPending(ORDERS, 1);
    scope.commit();

    const data = ledgerOfRun.toData();

    expect(data.expectations.map((e) => [e.type, e.version])).toEqual([['create', 2]]);
    expect(data.forbiddenNotes).toEqual([first]);
  });
});
