const PLAIN_DECIMAL = /^([+-]?)(\d+)(?:\.(\d*))?$/;

/**
 * Rewrites plain decimal digits (`"10.50"`, `"-0.01"`) as Python's
 * `str(Decimal(text))` does. Digits and trailing zeros are kept, but a value
 * whose adjusted exponent (the power of ten of its first digit) is below -6
 * switches to exponent form: `"0.0000001"` gives `"1E-7"`, `"0.00000000"` gives
 * `"0E-8"`.
 * Text that is not plain digits (NaN, Infinity) is returned unchanged.
 */
export function formatPythonDecimal(text: string): string {
  const match = PLAIN_DECIMAL.exec(text);
  if (match === null) return text;

  const [, sign = '', integerPart = '', fractionPart = ''] = match;
  const digits = `${integerPart}${fractionPart}`.replace(/^0+/, '') || '0';
  const exponent = -fractionPart.length;
  const leftDigits = exponent + digits.length;

  // Text without an exponent never has a positive one, so only the adjusted
  // exponent (leftDigits - 1) decides between positional and exponent form.
  const dotPlace = leftDigits > -6 ? leftDigits : 1;

  let mantissa: string;
  if (dotPlace <= 0) mantissa = `0.${'0'.repeat(-dotPlace)}${digits}`;
  else if (dotPlace >= digits.length) mantissa = digits.padEnd(dotPlace, '0');
  else mantissa = `${digits.slice(0, dotPlace)}.${digits.slice(dotPlace)}`;

  const shift = leftDigits - dotPlace;
  const exponentText = shift === 0 ? '' : `E${shift > 0 ? '+' : '-'}${Math.abs(shift)}`;
  return `${sign === '+' ? '' : sign}${mantissa}${exponentText}`;
}
