import { describeValue, UnserializableValueError } from './errors.js';

const DATETIME_TEXT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?$/i;
const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_TEXT = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$/;

/** Epoch milliseconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z, Python's datetime range. */
const FIRST_PYTHON_INSTANT = -62_135_596_800_000;
const LAST_PYTHON_INSTANT = 253_402_300_799_999;

const MICROSECONDS_PER_SECOND = 1_000_000n;
const MICROSECONDS_PER_DAY = 86_400n * MICROSECONDS_PER_SECOND;

function pad(value: number | bigint, length: number): string {
  return String(value).padStart(length, '0');
}

/** Six digits of microseconds from a fraction of any length (truncated, never rounded). */
function microsecondDigits(fraction: string | undefined): string {
  return (fraction ?? '').slice(0, 6).padEnd(6, '0');
}

/**
 * Writes a UTC instant as Django's JSON encoder writes an aware datetime:
 * `YYYY-MM-DDTHH:MM:SS`, then the microseconds truncated to milliseconds when
 * they are not zero, then `Z`. `date` gives the fields down to seconds and
 * `microseconds` (six digits) the fraction.
 */
function formatUtc(date: Date, microseconds: string, field: string): string {
  const time = date.getTime();
  if (Number.isNaN(time)) throw new UnserializableValueError(field, 'invalid Date (its time is NaN)');

  const year = date.getUTCFullYear();
  if (year < 1 || year > 9999) {
    throw new UnserializableValueError(
      field,
      `datetime ${describeValue(date)} is outside years 1 to 9999, which JSON consumers of this format cannot read`,
    );
  }

  const day = `${pad(year, 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
  const clock = `${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}`;
  const fraction = /^0+$/.test(microseconds) ? '' : `.${microseconds.slice(0, 3)}`;
  return `${day}T${clock}${fraction}Z`;
}

/**
 * Formats a Date as the `_time` field and every other datetime: ISO 8601 in UTC
 * with `Z`, milliseconds only when not zero (`2023-01-01T00:00:00Z`,
 * `2023-01-02T12:30:00.123Z`), whatever the process time zone.
 */
export function formatTime(date: Date): string {
  return formatDatetime(date, '_time');
}

/** Formats a Date as {@link formatTime} does, naming `field` in errors. */
export function formatDatetime(date: Date, field: string): string {
  const time = date.getTime();

  // toISOString writes this range with four-digit years, as Python does.
  if (time >= FIRST_PYTHON_INSTANT && time <= LAST_PYTHON_INSTANT) {
    const iso = date.toISOString();
    return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : iso;
  }

  return formatUtc(date, pad(date.getUTCMilliseconds() * 1000, 6), field);
}

/**
 * Formats datetime text (`2023-01-02 12:30:00.000005`, `2023-01-02T12:30:00+05:30`)
 * as {@link formatTime} does. Text without an offset is UTC. Microseconds in the
 * text are kept, so 5 microseconds give `.000` as in Python.
 */
export function formatDatetimeText(text: string, field: string): string {
  const match = DATETIME_TEXT.exec(text.trim());
  if (match === null) {
    throw new UnserializableValueError(field, `${describeValue(text)} is not an ISO 8601 datetime`);
  }

  const [, year, month, day, hours, minutes, seconds, fraction, offset] = match;
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  date.setUTCHours(Number(hours ?? 0), Number(minutes ?? 0), Number(seconds ?? 0), 0);
  if (date.getUTCDate() !== Number(day) || Number(hours ?? 0) > 23 || Number(minutes ?? 0) > 59) {
    throw new UnserializableValueError(field, `${describeValue(text)} is not a valid datetime`);
  }

  date.setTime(date.getTime() - offsetSeconds(offset) * 1000);
  return formatUtc(date, microsecondDigits(fraction), field);
}

/** Seconds east of UTC; PostgreSQL writes historic local mean time offsets with seconds (`+05:53:28`). */
function offsetSeconds(offset: string | undefined): number {
  if (offset === undefined || offset.toUpperCase() === 'Z') return 0;

  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replaceAll(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4) || 0);
  const seconds = Number(digits.slice(4, 6) || 0);
  return sign * (hours * 3600 + minutes * 60 + seconds);
}

/**
 * Formats a calendar date as `YYYY-MM-DD`. A Date is read in the process time
 * zone, because pg and mysql2 return DATE columns as local midnight.
 */
export function formatDate(value: Date | string, field: string): string {
  if (typeof value === 'string') {
    const text = value.trim().slice(0, 10);
    if (!DATE_TEXT.test(text)) throw new UnserializableValueError(field, `${describeValue(value)} is not a date`);
    return text;
  }

  if (Number.isNaN(value.getTime())) throw new UnserializableValueError(field, 'invalid Date (its time is NaN)');
  return `${pad(value.getFullYear(), 4)}-${pad(value.getMonth() + 1, 2)}-${pad(value.getDate(), 2)}`;
}

/**
 * Formats a time of day as Python's `time.isoformat()` trimmed by Django:
 * `HH:MM:SS`, then milliseconds when the microseconds are not zero
 * (`12:30:15.500`, `00:00:00`).
 */
export function formatTimeOfDay(text: string, field: string): string {
  const match = TIME_TEXT.exec(text.trim());
  const [, hours = '', minutes = '', seconds = '00', fraction] = match ?? [];
  if (match === null || Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59) {
    throw new UnserializableValueError(
      field,
      `${describeValue(text)} is not a time of day from 00:00:00 to 23:59:59.999999`,
    );
  }

  const microseconds = microsecondDigits(fraction);
  const suffix = /^0+$/.test(microseconds) ? '' : `.${microseconds.slice(0, 3)}`;
  return `${hours}:${minutes}:${seconds}${suffix}`;
}

/**
 * Formats a duration in microseconds as Django's `duration_iso_string`:
 * `P<days>DT<HH>H<MM>M<SS>S`, with `.<6 digits>` before `S` when there are
 * microseconds, and a negative duration as `-` before its absolute value
 * (`P0DT02H00M00S`, `P1DT00H00M05.000007S`, `-P0DT23H59M55S`).
 */
export function formatDuration(totalMicroseconds: bigint): string {
  const sign = totalMicroseconds < 0n ? '-' : '';
  const absolute = totalMicroseconds < 0n ? -totalMicroseconds : totalMicroseconds;

  const days = absolute / MICROSECONDS_PER_DAY;
  const secondsOfDay = (absolute % MICROSECONDS_PER_DAY) / MICROSECONDS_PER_SECOND;
  const microseconds = absolute % MICROSECONDS_PER_SECOND;

  const hours = secondsOfDay / 3600n;
  const minutes = (secondsOfDay % 3600n) / 60n;
  const seconds = secondsOfDay % 60n;
  const fraction = microseconds === 0n ? '' : `.${pad(microseconds, 6)}`;
  return `${sign}P${days}DT${pad(hours, 2)}H${pad(minutes, 2)}M${pad(seconds, 2)}${fraction}S`;
}
