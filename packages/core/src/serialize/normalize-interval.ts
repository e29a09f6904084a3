import { describeValue, UnserializableValueError } from './errors.js';
import { formatDuration } from './temporal-format.js';

const MICROSECONDS_PER_UNIT: ReadonlyArray<[string, bigint]> = [
  ['days', 86_400_000_000n],
  ['hours', 3_600_000_000n],
  ['minutes', 60_000_000n],
  ['seconds', 1_000_000n],
];

/**
 * Converts a PostgreSQL interval, as pg returns it (an object with `years`,
 * `months`, `days`, `hours`, `minutes`, `seconds` and fractional `milliseconds`),
 * into Django's ISO 8601 duration text. Months and years have no fixed length,
 * so intervals holding them are rejected.
 */
export function normalizeInterval(value: unknown, field: string): string {
  if (typeof value !== 'object' || value === null) {
    throw new UnserializableValueError(
      field,
      `interval ${describeValue(value)} is not an interval object as pg returns it: keep pg's default interval parser`,
    );
  }

  const parts = value as Record<string, unknown>;
  if (Number(parts.years ?? 0) !== 0 || Number(parts.months ?? 0) !== 0) {
    throw new UnserializableValueError(
      field,
      `interval with ${String(parts.years ?? 0)} years and ${String(parts.months ?? 0)} months has no fixed ` +
        'length in days: store days instead (interval \'30 days\', not \'1 month\') or exclude the column',
    );
  }

  let total = BigInt(Math.round(Number(parts.milliseconds ?? 0) * 1000));
  for (const [unit, microseconds] of MICROSECONDS_PER_UNIT) {
    const amount = Number(parts[unit] ?? 0);
    if (!Number.isInteger(amount)) {
      throw new UnserializableValueError(field, `interval ${unit} ${describeValue(parts[unit])} is not an integer`);
    }
    total += BigInt(amount) * microseconds;
  }

  return formatDuration(total);
}
