/**
 * Formats a finite number as Python's `repr(float)` does (CPython 3). The digits
 * are the shortest that round-trip, which JavaScript computes the same way. They
 * are laid out in positional form with at least one fractional digit (`3.0`,
 * `0.0001`), or in exponent form (`1e+16`, `1.5e-07`) when the decimal exponent
 * is below -4 or at least 16.
 */
export function formatPythonFloat(value: number): string {
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';

  // In this range both languages write the same shortest digits positionally.
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-4 && magnitude < 1e16) {
    const text = String(value);
    return text.includes('.') ? text : `${text}.0`;
  }

  const sign = value < 0 ? '-' : '';
  const [mantissa = '', exponentText = '0'] = magnitude.toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);

  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const exponentSign = exponent < 0 ? '-' : '+';
    return `${sign}${digits[0]}${fraction}e${exponentSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }

  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;

  const integerLength = exponent + 1;
  if (digits.length <= integerLength) return `${sign}${digits.padEnd(integerLength, '0')}.0`;
  return `${sign}${digits.slice(0, integerLength)}.${digits.slice(integerLength)}`;
}
