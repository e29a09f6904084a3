import { describe, expect, it } from 'vitest';
import { UnserializableValueError } from '../../src/serialize/errors.js';
import {
  formatDate,
  formatDatetimeText,
  formatDuration,
  formatTime,
  formatTimeOfDay,
} from '../../src/serialize/temporal-format.js';

const SECOND = 1_000_000n;
const DAY = 86_400n * SECOND;

describe('formatTime', () => {
  it('writes whole seconds without a fraction', () => {
    expect(formatTime(new Date('2023-01-01T00:00:00Z'))).toBe('2023-01-01T00:00:00Z');
  });

  it('writes milliseconds when not zero', () => {
    expect(formatTime(new Date('2023-01-02T12:30:00.123Z'))).toBe('2023-01-02T12:30:00.123Z');
    expect(formatTime(new Date('2023-01-02T12:30:00.001Z'))).toBe('2023-01-02T12:30:00.001Z');
  });

  it('rejects years beyond 9999', () => {
    expect(() => formatTime(new Date('+010000-01-01T00:00:00Z'))).toThrow(UnserializableValueError);
  });
});

describe('formatDatetimeText', () => {
  it('reads text without an offset as UTC', () => {
    expect(formatDatetimeText('2023-01-02 12:30:00', 'f')).toBe('2023-01-02T12:30:00Z');
    expect(formatDatetimeText('2023-01-02T12:30:00', 'f')).toBe('2023-01-02T12:30:00Z');
    expect(formatDatetimeText('2023-01-02', 'f')).toBe('2023-01-02T00:00:00Z');
  });

  it('truncates microseconds to milliseconds', () => {
    expect(formatDatetimeText('2023-01-02 12:30:00.123999', 'f')).toBe('2023-01-02T12:30:00.123Z');
    expect(formatDatetimeText('2023-01-02 12:30:00.5', 'f')).toBe('2023-01-02T12:30:00.500Z');
  });

  it('writes .000 for 5 microseconds', () => {
    expect(formatDatetimeText('2023-01-02 12:30:00.000005', 'f')).toBe('2023-01-02T12:30:00.000Z');
  });

  it('omits an all-zero fraction', () => {
    expect(formatDatetimeText('2023-01-02 12:30:00.000000', 'f')).toBe('2023-01-02T12:30:00Z');
  });

  it('applies offsets', () => {
    expect(formatDatetimeText('2023-01-02 12:30:00+05:30', 'f')).toBe('2023-01-02T07:00:00Z');
    expect(formatDatetimeText('2023-01-02 01:00:00.25-02', 'f')).toBe('2023-01-02T03:00:00.250Z');
    expect(formatDatetimeText('2023-01-01T00:30:00+0100', 'f')).toBe('2022-12-31T23:30:00Z');
    expect(formatDatetimeText('2023-01-02T12:30:00Z', 'f')).toBe('2023-01-02T12:30:00Z');
    expect(formatDatetimeText('1900-01-01 05:53:28+05:53:28', 'f')).toBe('1900-01-01T00:00:00Z');
  });

  it('rejects text that is not a datetime', () => {
    expect(() => formatDatetimeText('yesterday', 'created')).toThrow(/"created"/);
    expect(() => formatDatetimeText('2023-02-30 00:00:00', 'created')).toThrow(UnserializableValueError);
  });
});

describe('formatDate', () => {
  it('reads a Date in local time', () => {
    expect(formatDate(new Date(2023, 0, 3), 'd')).toBe('2023-01-03');
  });

  it('keeps date text', () => {
    expect(formatDate('2023-01-03', 'd')).toBe('2023-01-03');
  });

  it('rejects other text', () => {
    expect(() => formatDate('03/01/2023', 'd')).toThrow(UnserializableValueError);
  });
});

describe('formatTimeOfDay', () => {
  it('writes milliseconds when not zero', () => {
    expect(formatTimeOfDay('12:30:15.5', 't')).toBe('12:30:15.500');
    expect(formatTimeOfDay('12:30:15.500000', 't')).toBe('12:30:15.500');
    expect(formatTimeOfDay('12:30:15.000005', 't')).toBe('12:30:15.000');
  });

  it('omits a zero fraction', () => {
    expect(formatTimeOfDay('00:00:00', 't')).toBe('00:00:00');
    expect(formatTimeOfDay('23:59:59.000000', 't')).toBe('23:59:59');
    expect(formatTimeOfDay('08:15', 't')).toBe('08:15:00');
  });

  it('rejects times outside a day', () => {
    expect(() => formatTimeOfDay('24:00:00', 't')).toThrow(UnserializableValueError);
    expect(() => formatTimeOfDay('-01:00:00', 't')).toThrow(UnserializableValueError);
  });
});

describe('formatDuration', () => {
  it('writes hours', () => {
    expect(formatDuration(2n * 3600n * SECOND)).toBe('P0DT02H00M00S');
  });

  it('writes microseconds when not zero', () => {
    expect(formatDuration(DAY + 5n * SECOND + 7n)).toBe('P1DT00H00M05.000007S');
  });

  it('writes negative durations as a sign before the absolute value', () => {
    expect(formatDuration(-(23n * 3600n + 59n * 60n + 55n) * SECOND)).toBe('-P0DT23H59M55S');
    expect(formatDuration(-5n * SECOND)).toBe('-P0DT00H00M05S');
  });

  it('writes zero and long durations', () => {
    expect(formatDuration(0n)).toBe('P0DT00H00M00S');
    expect(formatDuration(1000n * DAY + 59n * 60n * SECOND + 500_000n)).toBe('P1000DT00H59M00.500000S');
  });
});
