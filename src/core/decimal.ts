/**
 * Money and quantities stay exact: they travel and rest as canonical decimal strings
 * ("1124.5", "-0.001") and are only ever added or multiplied with big.js, never as floats.
 * A JSON number from the cloud is read back through its shortest round-trip spelling, which
 * is the decimal the server wrote.
 */
import Big from 'big.js';

export type DecimalString = string;

/**
 * Beyond any amount, price, quantity or rate: 10^18 and more, or finer than 10^-20. Written out
 * in full, "1e1000000000" is a billion digits: a sync that tried would run out of memory.
 */
const MAX_EXPONENT = 17;
const MIN_EXPONENT = -20;
/** Longer than any decimal within those bounds, written any way: refused before it is read. */
const MAX_TEXT_LENGTH = 64;

/** The canonical spelling of a decimal, or null when `value` is not a finite number within bounds. */
export function parseDecimal(value: number | string): DecimalString | null {
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  const text = typeof value === 'string' ? value.trim() : String(value);
  if (text === '' || text.length > MAX_TEXT_LENGTH) return null;
  let parsed: Big;
  try {
    parsed = new Big(text);
  } catch {
    return null;
  }
  if (!parsed.eq(0) && (parsed.e > MAX_EXPONENT || parsed.e < MIN_EXPONENT)) return null;
  // toFixed() without places never switches to exponent notation; "-0" becomes "0".
  return parsed.eq(0) ? '0' : parsed.toFixed();
}
