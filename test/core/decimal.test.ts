/**
 * Decimals as the cloud sends them (JSON numbers or strings), kept exact and canonical; and a
 * number no amount, price or quantity can be refused before it is written out in full: one
 * "1e1000000000" once took the CLI to 4 GB and a crash.
 */
import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../src/core/decimal.ts';

describe('decimals', () => {
  it('spells what it reads canonically, without exponent or trailing zeros', () => {
    expect(parseDecimal(1124.5)).toBe('1124.5');
    expect(parseDecimal('-0.0010')).toBe('-0.001');
    expect(parseDecimal('-0')).toBe('0');
    expect(parseDecimal('1e15')).toBe('1000000000000000');
    expect(parseDecimal('1.5e-8')).toBe('0.000000015');
    expect(parseDecimal(0.1)).toBe('0.1');
  });

  it('refuses what is not a finite number', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, '', ' ', 'abc', '1,000', '0x10']) {
      expect(parseDecimal(value), String(value)).toBeNull();
    }
  });

  it('refuses numbers beyond any amount or quantity, at once, whatever their spelling', () => {
    const started = performance.now();
    for (const value of ['1e1000000000', '1e5000000', '-1e18', '1e-1000000000', '1e-21', `1${'0'.repeat(100)}`]) {
      expect(parseDecimal(value), value).toBeNull();
    }
    expect(parseDecimal('9'.repeat(1_000_000))).toBeNull();
    // Bounds, not a timing test: a billion digits would not come back at all.
    expect(performance.now() - started).toBeLessThan(5000);
    expect(parseDecimal('99999999999999999')).toBe('99999999999999999');
    expect(parseDecimal('0e1000000000')).toBe('0');
  });
});
