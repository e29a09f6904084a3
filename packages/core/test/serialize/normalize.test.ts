import { describe, expect, it } from 'vitest';
import { encodeMessage } from '../../src/serialize/encode.js';
import { UnserializableValueError } from '../../src/serialize/errors.js';
import { JsonFloat } from '../../src/serialize/json-float.js';
import { JsonText } from '../../src/serialize/json-text.js';
import { normalizeColumnValue } from '../../src/serialize/normalize.js';
import type { ColumnKind } from '../../src/serialize/column-kind.js';

function encoded(value: unknown, kind: ColumnKind, scale?: number): string {
  return encodeMessage(new Map([['v', normalizeColumnValue(value, kind, 'v', scale)]]));
}

function normalizeError(value: unknown, kind: ColumnKind): UnserializableValueError {
  try {
    normalizeColumnValue(value, kind, 'price');
  } catch (error) {
    return error as UnserializableValueError;
  }
  throw new Error('expected normalizeColumnValue to throw');
}

describe('normalizeColumnValue integers', () => {
  it('turns pg bigint strings into BigInt', () => {
    expect(normalizeColumnValue('1533947986218845197', 'integer', 'id')).toBe(1533947986218845197n);
    expect(encoded('1533947986218845197', 'integer')).toBe('{"v": 1533947986218845197}');
    expect(encoded('-42', 'integer')).toBe('{"v": -42}');
  });

  it('keeps safe numbers and BigInt', () => {
    expect(encoded(7, 'integer')).toBe('{"v": 7}');
    expect(encoded(1533947986218845197n, 'integer')).toBe('{"v": 1533947986218845197}');
  });

  it('rejects integers the driver rounded', () => {
    const error = normalizeError(2 ** 60, 'integer');

    expect(error.code).toBe('ERR_KS_UNSERIALIZABLE');
    expect(error.message).toMatch(/supportBigNumbers/);
  });
});

describe('normalizeColumnValue floats', () => {
  it('wraps numbers in JsonFloat', () => {
    expect(normalizeColumnValue(3, 'float', 'v')).toBeInstanceOf(JsonFloat);
    expect(encoded(3, 'float')).toBe('{"v": 3.0}');
    expect(encoded(1e16, 'float')).toBe('{"v": 1e+16}');
    expect(encoded('1.5', 'float')).toBe('{"v": 1.5}');
  });

  it('rejects NaN and Infinity naming field and value', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 'NaN', 'Infinity']) {
      const error = normalizeError(value, 'float');

      expect(error).toBeInstanceOf(UnserializableValueError);
      expect(error.field).toBe('price');
      expect(error.message).toContain('"price"');
      expect(error.message).toMatch(/NaN|Infinity/);
    }
  });
});

describe('normalizeColumnValue decimals', () => {
  it('keeps driver digit strings', () => {
    expect(encoded('10.50', 'decimal')).toBe('{"v": "10.50"}');
    expect(encoded('-0.01', 'decimal')).toBe('{"v": "-0.01"}');
    expect(encoded('0.00', 'decimal')).toBe('{"v": "0.00"}');
    expect(encoded('123456789012345678901234567890.123', 'decimal')).toBe(
      '{"v": "123456789012345678901234567890.123"}',
    );
  });

  it('switches tiny decimals to exponent form as Python', () => {
    expect(encoded('0.00000000', 'decimal')).toBe('{"v": "0E-8"}');
    expect(encoded('0.0000001', 'decimal')).toBe('{"v": "1E-7"}');
    expect(encoded(0, 'decimal', 8)).toBe('{"v": "0E-8"}');
  });

  it('writes numeric NaN as Python writes Decimal NaN', () => {
    expect(encoded('NaN', 'decimal')).toBe('{"v": "NaN"}');
  });

  it('formats numbers with the column scale', () => {
    expect(encoded(10.5, 'decimal', 2)).toBe('{"v": "10.50"}');
    expect(encoded(3, 'decimal', 2)).toBe('{"v": "3.00"}');
    expect(encoded(3n, 'decimal', 2)).toBe('{"v": "3.00"}');
  });

  it('formats numbers without a scale in shortest form', () => {
    expect(encoded(10.5, 'decimal')).toBe('{"v": "10.5"}');
    expect(encoded(1e-7, 'decimal')).toBe('{"v": "1E-7"}');
    expect(encoded(0.25, 'decimal')).toBe('{"v": "0.25"}');
    expect(encoded(12, 'decimal')).toBe('{"v": "12"}');
  });
});

describe('normalizeColumnValue other kinds', () => {
  it('turns 0 and 1 into booleans', () => {
    expect(encoded(1, 'boolean')).toBe('{"v": true}');
    expect(encoded(0, 'boolean')).toBe('{"v": false}');
    expect(encoded(true, 'boolean')).toBe('{"v": true}');
    expect(encoded(1n, 'boolean')).toBe('{"v": true}');
  });

  it('lowercases UUIDs', () => {
    expect(encoded('5F0C7A9E-1B2C-4D3E-8F40-A1B2C3D4E5F6', 'uuid')).toBe(
      '{"v": "5f0c7a9e-1b2c-4d3e-8f40-a1b2c3d4e5f6"}',
    );
  });

  it('wraps JSON text', () => {
    expect(normalizeColumnValue('{"b": 1, "a": 2}', 'json', 'v')).toBeInstanceOf(JsonText);
    expect(encoded('{"b":1,"10":2,"a":[1.5]}', 'json')).toBe('{"v": {"b": 1, "10": 2, "a": [1.5]}}');
  });

  it('keeps parsed JSON values', () => {
    expect(encoded({ b: 1, a: [true] }, 'json')).toBe('{"v": {"b": 1, "a": [true]}}');
    expect(encoded('"abc"', 'json')).toBe('{"v": "abc"}');
  });

  it('rejects invalid JSON text', () => {
    expect(normalizeError('{bad', 'json').message).toMatch(/invalid/);
  });

  it('formats datetimes in UTC', () => {
    expect(encoded(new Date('2023-01-02T12:30:00.123Z'), 'datetime')).toBe('{"v": "2023-01-02T12:30:00.123Z"}');
    expect(encoded('2023-01-02 12:30:00.000005', 'datetime')).toBe('{"v": "2023-01-02T12:30:00.000Z"}');
    expect(encoded(Date.UTC(2023, 0, 1), 'datetime')).toBe('{"v": "2023-01-01T00:00:00Z"}');
  });

  it('formats dates', () => {
    expect(encoded(new Date(2023, 0, 3), 'date')).toBe('{"v": "2023-01-03"}');
    expect(encoded('2023-01-03', 'date')).toBe('{"v": "2023-01-03"}');
  });

  it('formats times', () => {
    expect(encoded('12:30:15.5', 'time')).toBe('{"v": "12:30:15.500"}');
    expect(encoded('00:00:00', 'time')).toBe('{"v": "00:00:00"}');
  });

  it('formats pg intervals', () => {
    expect(encoded({ hours: 2 }, 'interval')).toBe('{"v": "P0DT02H00M00S"}');
    expect(encoded({ days: 1, seconds: 5, milliseconds: 0.007 }, 'interval')).toBe('{"v": "P1DT00H00M05.000007S"}');
    expect(encoded({ hours: -23, minutes: -59, seconds: -55 }, 'interval')).toBe('{"v": "-P0DT23H59M55S"}');
    expect(encoded({ days: 1, hours: -25 }, 'interval')).toBe('{"v": "-P0DT01H00M00S"}');
    expect(encoded({}, 'interval')).toBe('{"v": "P0DT00H00M00S"}');
  });

  it('rejects intervals with months or years', () => {
    expect(normalizeError({ months: 1 }, 'interval').message).toMatch(/months/);
    expect(normalizeError({ years: 2, days: 3 }, 'interval').message).toMatch(/years/);
  });

  it('rejects binary values', () => {
    const error = normalizeError(Buffer.from('abc'), 'binary');

    expect(error.code).toBe('ERR_KS_UNSERIALIZABLE');
    expect(error.message).toMatch(/exclude the column/);
  });

  it('keeps null for every kind', () => {
    const kinds: ColumnKind[] = ['integer', 'float', 'decimal', 'json', 'datetime', 'interval', 'binary'];

    for (const kind of kinds) {
      expect(normalizeColumnValue(null, kind, 'v')).toBeNull();
    }
  });

  it('falls back to the JavaScript type for unknown kinds', () => {
    expect(encoded('text', 'unknown')).toBe('{"v": "text"}');
    expect(encoded(2.5, 'unknown')).toBe('{"v": 2.5}');
    expect(encoded([1, 2], 'unknown')).toBe('{"v": [1, 2]}');
    expect(normalizeError(Number.NaN, 'unknown').field).toBe('price');
    expect(normalizeError(Buffer.from('x'), 'unknown').code).toBe('ERR_KS_UNSERIALIZABLE');
  });

  it('keeps values whose type does not fit the kind', () => {
    expect(encoded('abc', 'integer')).toBe('{"v": "abc"}');
    expect(encoded(5, 'text')).toBe('{"v": 5}');
  });
});
