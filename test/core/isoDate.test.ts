/** Dates read strictly: a day that is not in its month, or a number, is not a date. */
import { describe, expect, it } from 'vitest';
import { parseIsoDate } from '../../src/core/isoDate.ts';

const iso = (text: string) => {
  const ms = parseIsoDate(text);
  return ms === null ? null : new Date(ms).toISOString();
};

describe('ISO dates', () => {
  it('reads days, and date-times with or without a zone (UTC when none)', () => {
    expect(iso('2026-11-20')).toBe('2026-11-20T00:00:00.000Z');
    expect(iso('2026-11-20T14:31:00Z')).toBe('2026-11-20T14:31:00.000Z');
    expect(iso('2026-11-20T14:31:00.123456Z')).toBe('2026-11-20T14:31:00.123Z');
    expect(iso('2026-11-20 14:31')).toBe('2026-11-20T14:31:00.000Z');
    expect(iso('2026-11-20T09:31:00-05:00')).toBe('2026-11-20T14:31:00.000Z');
    expect(iso('2026-11-20T20:01:00+0530')).toBe('2026-11-20T14:31:00.000Z');
    expect(iso('2024-02-29')).toBe('2024-02-29T00:00:00.000Z');
  });

  it('refuses what Date.parse would bend into some other day', () => {
    for (const text of [
      '2026-02-30',
      '2025-02-29',
      '2026-13-01',
      '2026-00-10',
      '1',
      '2026',
      'Nov 20, 2026',
      '2026-11-20T24:00:00Z',
      '2026-11-20T12:60Z',
      '',
    ]) {
      expect(parseIsoDate(text), text).toBeNull();
    }
  });
});
