/**
 * Money and quantities stay exact: they travel and rest as canonical decimal strings
 * ("1124.5", "-0.001") and are only ever added or multiplied with big.js, never as floats.
 * A JSON number from the cloud is read back through its shortest round-trip spelling, which
 * is the decimal the server wrote.
 */
import Big from 'big.js';

export type DecimalString = string;

/** The canonical spelling of a decimal, or null when `value` is not a finite number. */
export function parseDecimal(value: number | string): DecimalString | null {
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  const text = typeof value === 'string' ? value.trim() : String(value);
  if (text === '') return null;
  let parsed: Big;
  try {
    parsed = new Big(text);
  } catch {
    return null;
  }
  // toFixed() without places never switches to exponent notation; "-0" becomes "0".
  return parsed.eq(0) ? '0' : parsed.toFixed();
}
