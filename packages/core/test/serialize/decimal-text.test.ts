import { describe, expect, it } from 'vitest';
import { formatPythonDecimal } from '../../src/serialize/decimal-text.js';

describe('formatPythonDecimal', () => {
  it('keeps plain digits and trailing zeros', () => {
    const cases: Array<[string, string]> = [
      ['10.50', '10.50'],
      ['-0.01', '-0.01'],
      ['0.00', '0.00'],
      ['-0.00', '-0.00'],
      ['100', '100'],
      ['0.000001', '0.000001'],
      ['0.0000010', '0.0000010'],
      ['123456789012345678901234567890.123', '123456789012345678901234567890.123'],
    ];

    for (const [text, expected] of cases) {
      expect(formatPythonDecimal(text), text).toBe(expected);
    }
  });

  it('uses exponent form below an adjusted exponent of -6', () => {
    const cases: Array<[string, string]> = [
      ['0.0000001', '1E-7'],
      ['0.00000010', '1.0E-7'],
      ['0.00000000', '0E-8'],
      ['0.0000000', '0E-7'],
      ['-0.000000012345', '-1.2345E-8'],
    ];

    for (const [text, expected] of cases) {
      expect(formatPythonDecimal(text), text).toBe(expected);
    }
  });

  it('drops leading zeros and a plus sign', () => {
    expect(formatPythonDecimal('000.5')).toBe('0.5');
    expect(formatPythonDecimal('+1.5')).toBe('1.5');
  });

  it('returns special values unchanged', () => {
    expect(formatPythonDecimal('NaN')).toBe('NaN');
    expect(formatPythonDecimal('-Infinity')).toBe('-Infinity');
  });
});
