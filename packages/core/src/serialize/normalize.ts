import type { ColumnKind } from './column-kind.js';
import { formatPythonDecimal } from './decimal-text.js';
import { UnserializableValueError } from './errors.js';
import { JsonFloat } from './json-float.js';
import { JsonText } from './json-text.js';
import { normalizeInterval } from './normalize-interval.js';
import {
  formatDate,
  formatDatetime,
  formatDatetimeText,
  formatTimeOfDay,
} from './temporal-format.js';

const INTEGER_TEXT = /^[+-]?\d+$/;
const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;
const DECIMAL_SPECIAL = new Set(['NaN', 'Infinity', '-Infinity']);

/**
 * Converts a value as the database driver returned it into the value that
 * encodeMessage writes as django-kafka-streamer would for a column of `kind`.
 * `field` names the column in errors. `scale` is the number of decimal places
 * of a decimal column, used when the driver returns a JavaScript number (SQLite).
 *
 * A value whose JavaScript type does not fit the kind (SQLite stores any type in
 * any column) is kept as the driver returned it. Throws UnserializableValueError
 * for NaN and Infinity floats, binary data, and integers the driver already
 * rounded.
 */
export function normalizeColumnValue(value: unknown, kind: ColumnKind, field: string, scale?: number): unknown {
  if (value === null || value === undefined) return null;

  switch (kind) {
    case 'integer':
      return normalizeInteger(value, field);
    case 'float':
      return normalizeFloat(value, field);
    case 'decimal':
      return normalizeDecimal(value, field, scale);
    case 'boolean':
      return normalizeBoolean(value);
    case 'uuid':
      return typeof value === 'string' ? value.toLowerCase() : normalizeByType(value, field);
    case 'json':
      return normalizeJson(value, field);
    case 'datetime':
      return normalizeDatetime(value, field);
    case 'date':
      return normalizeDate(value, field);
    case 'time':
      return typeof value === 'string' ? formatTimeOfDay(value, field) : normalizeByType(value, field);
    case 'interval':
      return normalizeInterval(value, field);
    case 'binary':
      return rejectBinary(field);
    default:
      return normalizeByType(value, field);
  }
}

function rejectBinary(field: string): never {
  throw new UnserializableValueError(
    field,
    'binary column values have no JSON form (Python json.dumps rejects bytes too): ' +
      'exclude the column or load it as a string, for example base64',
  );
}

function rejectNonFinite(value: number, field: string): never {
  throw new UnserializableValueError(
    field,
    `${value} is not valid JSON (Python would write a bare ${value}): ` +
      'store NULL instead, exclude the column, or load it as a string',
  );
}

/** Keeps values of unknown kinds as they are, checking what JSON cannot hold. */
function normalizeByType(value: unknown, field: string): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) rejectNonFinite(value, field);
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) rejectBinary(field);
  return value;
}

function normalizeInteger(value: unknown, field: string): unknown {
  if (typeof value === 'string' && INTEGER_TEXT.test(value)) return BigInt(value);

  if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) {
    throw new UnserializableValueError(
      field,
      `integer ${value} is beyond 2^53 and was already rounded by the driver: ` +
        'configure it to return big integers as strings or BigInt ' +
        '(mysql2: supportBigNumbers and bigNumberStrings; better-sqlite3: safeIntegers)',
    );
  }

  return normalizeByType(value, field);
}

function normalizeFloat(value: unknown, field: string): unknown {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;

  if (typeof number === 'number') {
    if (!Number.isFinite(number)) rejectNonFinite(number, field);
    return new JsonFloat(number);
  }
  if (typeof number === 'bigint') return new JsonFloat(Number(number));
  return normalizeByType(value, field);
}

function normalizeDecimal(value: unknown, field: string, scale: number | undefined): unknown {
  if (typeof value === 'string' && DECIMAL_TEXT.test(value)) return formatPythonDecimal(value);
  // Python writes Decimal('NaN') as the string "NaN", which is valid JSON.
  if (typeof value === 'string' && DECIMAL_SPECIAL.has(value)) return value;
  if (typeof value === 'bigint') return formatPythonDecimal(scale ? `${value}.${'0'.repeat(scale)}` : String(value));

  if (typeof value === 'number') {
    if (!Number.isFinite(value)) rejectNonFinite(value, field);
    // NOTE: toFixed rounds the binary value. Django rounds to 15 significant digits
    // half-even, so a value exactly halfway at the last place may differ in its last digit.
    if (scale !== undefined) return formatPythonDecimal(value.toFixed(scale));
    if (Number.isInteger(value)) return BigInt(value).toString();
    return formatPythonDecimal(value.toFixed(decimalPlaces(value)));
  }

  return normalizeByType(value, field);
}

/** Fractional digits of the shortest round-trip form of `value`. */
function decimalPlaces(value: number): number {
  const [mantissa = '', exponent = '0'] = value.toExponential().split('e');
  const fractionDigits = mantissa.split('.')[1]?.length ?? 0;
  return Math.min(100, Math.max(0, fractionDigits - Number(exponent)));
}

function normalizeBoolean(value: unknown): unknown {
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'bigint') return value !== 0n;
  if (value === '0' || value === '1') return value === '1';
  if (value === 't' || value === 'f') return value === 't';
  return value;
}

function normalizeJson(value: unknown, field: string): unknown {
  if (typeof value !== 'string') return normalizeByType(value, field);

  try {
    return new JsonText(value);
  } catch (error) {
    throw new UnserializableValueError(field, `stored JSON is invalid: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function normalizeDatetime(value: unknown, field: string): unknown {
  if (value instanceof Date) return formatDatetime(value, field);
  if (typeof value === 'string') return formatDatetimeText(value, field);

  // Knex binds a Date as epoch milliseconds on SQLite.
  if (typeof value === 'number' && Number.isFinite(value)) return formatDatetime(new Date(value), field);
  if (typeof value === 'bigint') return formatDatetime(new Date(Number(value)), field);
  return normalizeByType(value, field);
}

function normalizeDate(value: unknown, field: string): unknown {
  if (value instanceof Date || typeof value === 'string') return formatDate(value, field);
  if (typeof value === 'number' && Number.isFinite(value)) return formatDate(new Date(value), field);
  return normalizeByType(value, field);
}

