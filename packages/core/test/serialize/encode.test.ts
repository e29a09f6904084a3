import { describe, expect, it } from 'vitest';
import { compactSerializer, defaultSerializer, encodeMessage } from '../../src/serialize/encode.js';
import { UnserializableValueError } from '../../src/serialize/errors.js';
import { JsonFloat } from '../../src/serialize/json-float.js';
import { JsonText } from '../../src/serialize/json-text.js';

function body(entries: Array<[string, unknown]>): Map<string, unknown> {
  return new Map(entries);
}

function encodingError(value: unknown): UnserializableValueError {
  try {
    encodeMessage(body([['value', value]]));
  } catch (error) {
    return error as UnserializableValueError;
  }
  throw new Error('expected encodeMessage to throw');
}

const TIME = new Date(Date.UTC(2023, 0, 1));

describe('encodeMessage documented examples', () => {
  it('writes a row with a null foreign key', () => {
    const message = body([
      ['_time', TIME],
      ['_type', 'create'],
      ['id', 1],
      ['field1', 1],
      ['field2', 'abc'],
      ['other_id', null],
    ]);

    expect(encodeMessage(message)).toBe(
      '{"_time": "2023-01-01T00:00:00Z", "_type": "create", "id": 1, "field1": 1, "field2": "abc", "other_id": null}',
    );
  });

  it('writes an included related object', () => {
    const message = body([
      ['_time', TIME],
      ['_type', 'create'],
      ['id', 1],
      ['field1', 1],
      ['field2', 'abc'],
      ['other_id', 2],
      ['other', new Map<string, unknown>([['id', 2], ['other_field', 3]])],
    ]);

    expect(encodeMessage(message)).toBe(
      '{"_time": "2023-01-01T00:00:00Z", "_type": "create", "id": 1, "field1": 1, "field2": "abc", ' +
        '"other_id": 2, "other": {"id": 2, "other_field": 3}}',
    );
  });

  it('writes a computed field last', () => {
    const message = body([
      ['_time', TIME],
      ['_type', 'create'],
      ['id', 1],
      ['field1', 1],
      ['field2', 'abc'],
      ['other_id', null],
      ['field1_plus_one', 2],
    ]);

    expect(encodeMessage(message)).toBe(
      '{"_time": "2023-01-01T00:00:00Z", "_type": "create", "id": 1, "field1": 1, "field2": "abc", ' +
        '"other_id": null, "field1_plus_one": 2}',
    );
  });

  it('writes an enumerate message with a chunk', () => {
    const message = body([
      ['_time', TIME],
      ['_type', 'enumerate'],
      ['ids', [1, 2]],
      ['chunk', { index: 0, count: 2, session: '5f0c7a9e-1b2c-4d3e-8f40-a1b2c3d4e5f6' }],
      ['id', 1],
    ]);

    expect(encodeMessage(message)).toBe(
      '{"_time": "2023-01-01T00:00:00Z", "_type": "enumerate", "ids": [1, 2], ' +
        '"chunk": {"index": 0, "count": 2, "session": "5f0c7a9e-1b2c-4d3e-8f40-a1b2c3d4e5f6"}, "id": 1}',
    );
  });

  it('writes an eos message', () => {
    const message = body([['_time', TIME], ['_type', 'eos'], ['id', null]]);

    expect(encodeMessage(message)).toBe('{"_time": "2023-01-01T00:00:00Z", "_type": "eos", "id": null}');
  });
});

describe('encodeMessage layout', () => {
  it('keeps Map key order', () => {
    expect(encodeMessage(body([['b', 1], ['a', 2], ['10', 3], ['2', 4]]))).toBe('{"b": 1, "a": 2, "10": 3, "2": 4}');
  });

  it('writes empty containers', () => {
    expect(encodeMessage(body([]))).toBe('{}');
    expect(encodeMessage(body([['list', []], ['object', {}], ['map', new Map()]]))).toBe(
      '{"list": [], "object": {}, "map": {}}',
    );
  });

  it('nests arrays of Maps and objects', () => {
    const items = [new Map<string, unknown>([['id', 1], ['item_id', 1]]), { id: 2, tags: ['a', 'b'] }];

    expect(encodeMessage(body([['items', items]]))).toBe(
      '{"items": [{"id": 1, "item_id": 1}, {"id": 2, "tags": ["a", "b"]}]}',
    );
  });

  it('writes compact separators on request', () => {
    const message = body([['a', 1], ['b', [1, { c: null }]]]);

    expect(encodeMessage(message, { compact: true })).toBe('{"a":1,"b":[1,{"c":null}]}');
    expect(compactSerializer(message)).toBe('{"a":1,"b":[1,{"c":null}]}');
    expect(defaultSerializer(message)).toBe('{"a": 1, "b": [1, {"c": null}]}');
  });

  it('has no trailing newline', () => {
    expect(encodeMessage(body([['a', 1]])).endsWith('}')).toBe(true);
  });

  it('leaves undefined object values out', () => {
    expect(encodeMessage(body([['a', undefined], ['b', { c: undefined, d: 1 }]]))).toBe('{"b": {"d": 1}}');
  });

  it('writes undefined array items as null', () => {
    expect(encodeMessage(body([['a', [undefined, 1]]]))).toBe('{"a": [null, 1]}');
  });

  it('writes integer Map keys as strings', () => {
    const nested = new Map<unknown, unknown>([[1, 'a'], [2n, 'b']]);

    expect(encodeMessage(body([['m', nested]]))).toBe('{"m": {"1": "a", "2": "b"}}');
  });

  it('writes toJSON results', () => {
    const value = { toJSON: () => 'custom' };
    const instance = new (class Money {
      toJSON() {
        return '12.30';
      }
    })();

    expect(encodeMessage(body([['a', value], ['b', instance]]))).toBe('{"a": "custom", "b": "12.30"}');
  });
});

describe('encodeMessage numbers', () => {
  it('writes big integers with every digit', () => {
    expect(encodeMessage(body([['id', 1533947986218845197n]]))).toBe('{"id": 1533947986218845197}');
    expect(encodeMessage(body([['id', -1533947986218845197n]]))).toBe('{"id": -1533947986218845197}');
  });

  it('writes unsafe integer numbers as digits', () => {
    expect(encodeMessage(body([['a', 2 ** 60], ['b', 1e21], ['c', -0]]))).toBe(
      '{"a": 1152921504606846976, "b": 1000000000000000000000, "c": 0}',
    );
  });

  it('writes floats as Python does', () => {
    const cases: Array<[number, string]> = [
      [1.5, '1.5'],
      [3, '3.0'],
      [1e16, '1e+16'],
      [1e-7, '1e-07'],
      [0.1 + 0.2, '0.30000000000000004'],
      [-0, '-0.0'],
      [0, '0.0'],
      [1e15, '1000000000000000.0'],
      [1.5e16, '1.5e+16'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [-2.5e-10, '-2.5e-10'],
      [1e100, '1e+100'],
      [5e-324, '5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
    ];

    for (const [value, expected] of cases) {
      expect(encodeMessage(body([['x', new JsonFloat(value)]]))).toBe(`{"x": ${expected}}`);
    }
  });

  it('writes fractional numbers as floats', () => {
    expect(encodeMessage(body([['x', 1.25], ['y', 1e-7]]))).toBe('{"x": 1.25, "y": 1e-07}');
  });

  it('writes booleans and null', () => {
    expect(encodeMessage(body([['t', true], ['f', false], ['n', null]]))).toBe('{"t": true, "f": false, "n": null}');
  });
});

describe('encodeMessage datetimes', () => {
  it('omits a zero fraction', () => {
    expect(encodeMessage(body([['d', new Date('2023-01-01T00:00:00Z')]]))).toBe('{"d": "2023-01-01T00:00:00Z"}');
  });

  it('writes milliseconds', () => {
    expect(encodeMessage(body([['d', new Date('2023-01-02T12:30:00.123Z')]]))).toBe(
      '{"d": "2023-01-02T12:30:00.123Z"}',
    );
    expect(encodeMessage(body([['d', new Date('2023-01-02T12:30:00.050Z')]]))).toBe(
      '{"d": "2023-01-02T12:30:00.050Z"}',
    );
  });

  it('converts offsets to UTC', () => {
    expect(encodeMessage(body([['d', new Date('2023-01-02T12:30:00+05:30')]]))).toBe(
      '{"d": "2023-01-02T07:00:00Z"}',
    );
  });

  it('pads years below 1000', () => {
    const date = new Date(0);
    date.setUTCFullYear(99, 0, 1);

    expect(encodeMessage(body([['d', date]]))).toBe('{"d": "0099-01-01T00:00:00Z"}');
  });
});

describe('encodeMessage strings', () => {
  it('keeps non-ASCII text raw', () => {
    expect(encodeMessage(body([['s', 'héllo wörld ☃ 😀 日本']]))).toBe('{"s": "héllo wörld ☃ 😀 日本"}');
  });

  it('escapes quotes and backslashes', () => {
    expect(encodeMessage(body([['s', 'a"b\\c']]))).toBe('{"s": "a\\"b\\\\c"}');
  });

  it('uses short escapes for common controls', () => {
    expect(encodeMessage(body([['s', '\n\r\t\b\f']]))).toBe('{"s": "\\n\\r\\t\\b\\f"}');
  });

  it('uses lowercase hex for other controls', () => {
    expect(encodeMessage(body([['s', '\u0000\u0001\u001f\u001b']]))).toBe('{"s": "\\u0000\\u0001\\u001f\\u001b"}');
  });

  it('leaves slash, DEL and line separators raw', () => {
    expect(encodeMessage(body([['s', '/\u007f\u2028\u2029']]))).toBe('{"s": "/\u007f\u2028\u2029"}');
  });

  it('escapes lone surrogates', () => {
    expect(encodeMessage(body([['s', 'a\ud800b\udc00c\udbff']]))).toBe('{"s": "a\\ud800b\\udc00c\\udbff"}');
  });

  it('escapes keys like values', () => {
    expect(encodeMessage(body([['k"\n', 1]]))).toBe('{"k\\"\\n": 1}');
  });
});

describe('encodeMessage JSON text', () => {
  it('re-emits stored JSON with Python separators', () => {
    const stored = new JsonText('{"b":1,"a":[true,false,null],"2":{"x":"y"},"1":"s"}');

    expect(encodeMessage(body([['data', stored]]))).toBe(
      '{"data": {"b": 1, "a": [true, false, null], "2": {"x": "y"}, "1": "s"}}',
    );
  });

  it('keeps JSON integers exact and floats as Python', () => {
    const stored = new JsonText('[12345678901234567890, 1.0, 1.10, 1e5, -0, -0.0, 2E-7]');

    expect(encodeMessage(body([['data', stored]]))).toBe(
      '{"data": [12345678901234567890, 1.0, 1.1, 100000.0, 0, -0.0, 2e-07]}',
    );
  });

  it('keeps a JSON string scalar a string', () => {
    expect(encodeMessage(body([['data', new JsonText('"abc"')]]))).toBe('{"data": "abc"}');
    expect(encodeMessage(body([['data', new JsonText(' 42 ')]]))).toBe('{"data": 42}');
  });

  it('re-escapes JSON strings as Python', () => {
    const stored = new JsonText('"\\u00e9\\/\\n\\u001F\\ud83d\\ude00"');

    expect(encodeMessage(body([['data', stored]]))).toBe('{"data": "é/\\n\\u001f😀"}');
  });

  it('keeps the last value of a duplicate key in first position', () => {
    expect(encodeMessage(body([['data', new JsonText('{"a": 1, "b": 2, "a": 3}')]]))).toBe(
      '{"data": {"a": 3, "b": 2}}',
    );
  });

  it('compacts JSON text too', () => {
    expect(encodeMessage(body([['data', new JsonText('{"a": [1, 2]}')]]), { compact: true })).toBe(
      '{"data":{"a":[1,2]}}',
    );
  });

  it('rejects invalid JSON text', () => {
    for (const text of ['{', '{"a" 1}', '[1,]', 'NaN', '01', '"\u0001"', '{"a": 1} x', '"\\x"']) {
      expect(() => new JsonText(text), text).toThrow(SyntaxError);
    }
  });
});

describe('encodeMessage errors', () => {
  it('rejects NaN and Infinity with the field path', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const error = encodingError(value);

      expect(error).toBeInstanceOf(UnserializableValueError);
      expect(error.code).toBe('ERR_KS_UNSERIALIZABLE');
      expect(error.field).toBe('value');
      expect(error.message).toContain(String(value));
    }
  });

  it('names nested paths', () => {
    const message = body([['other', new Map([['price', new JsonFloat(Number.NaN)]])]]);

    expect(() => encodeMessage(message)).toThrow(/"other\.price"/);
    expect(() => encodeMessage(body([['items', [1, { price: Infinity }]]]))).toThrow(/"items\[1\]\.price"/);
  });

  it('rejects JSON text that overflows a float', () => {
    expect(() => encodeMessage(body([['data', new JsonText('{"x": 1e400}')]]))).toThrow(/"data\.x"/);
  });

  it('rejects binary data', () => {
    expect(encodingError(Buffer.from('ab')).message).toMatch(/binary data/);
    expect(encodingError(new Uint8Array(2)).message).toMatch(/binary data/);
  });

  it('rejects functions and symbols', () => {
    expect(encodingError(() => 1)).toBeInstanceOf(UnserializableValueError);
    expect(encodingError(Symbol('s'))).toBeInstanceOf(UnserializableValueError);
    expect(() => encodeMessage(body([['a', [() => 1]]]))).toThrow(/"a\[0\]"/);
  });

  it('rejects invalid dates', () => {
    expect(encodingError(new Date(Number.NaN)).message).toMatch(/invalid Date/);
  });

  it('rejects class instances without toJSON', () => {
    expect(encodingError(new Set([1])).message).toMatch(/Set/);
  });

  it('rejects circular structures', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;

    expect(encodingError(loop).message).toMatch(/circular/);
  });

  it('allows the same object twice side by side', () => {
    const shared = { a: 1 };

    expect(encodeMessage(body([['x', shared], ['y', [shared, shared]]]))).toBe(
      '{"x": {"a": 1}, "y": [{"a": 1}, {"a": 1}]}',
    );
  });
});
