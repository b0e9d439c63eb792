/** A cloud activity as the row the engine stores: identity fallbacks, review flags, dates, currency. */
import { describe, expect, it } from 'vitest';
import { mapActivity } from '../../src/core/activityMapping.ts';
import type { CloudActivity } from '../../src/transport/cloudSchemas.ts';
import { mappedBuy } from '../support/mappedActivity.ts';

const ACCOUNT = { id: 'acc-1', currency: 'CAD' };

const buy = mappedBuy;

describe('activity mapping', () => {
  it('falls back to external_reference_id, then id, for the source record id', () => {
    expect(buy({ source_record_id: null, external_reference_id: 'ext-9' }).sourceRecordId).toBe('ext-9');
    expect(buy({ source_record_id: null, external_reference_id: null }).sourceRecordId).toBe('act-1');
    expect(buy().sourceSystem).toBe('SNAPTRADE');
  });

  it.each([
    [{ needs_review: true }, ['Flagged for review by the cloud']],
    [{ type: null }, ['The activity type is missing']],
    [{ type: 'UNKNOWN' }, ['The activity type is unknown']],
    [{ type: 'REI' }, ['Unsupported activity type "REI"']],
    [{ mapping_metadata: { confidence: 0.69, reasons: [] } }, ['Low mapping confidence (0.69)']],
    [{ mapping_metadata: { confidence: 0.7, reasons: ['Ambiguous symbol'] } }, ['Ambiguous symbol']],
    [{ mapping_metadata: { confidence: 0.9, reasons: ['Mapped from BUY', 'MANUAL entry'] } }, ['MANUAL entry']],
  ])('flags %j for review', (fields, reasons) => {
    const activity = buy(fields);
    expect(activity.reviewReasons).toEqual(reasons);
    expect(activity.status).toBe('DRAFT');
  });

  it('posts an activity with nothing doubtful about it', () => {
    const activity = buy({ mapping_metadata: { confidence: 0.7, reasons: ['Mapped from BUY'] } });
    expect(activity.status).toBe('POSTED');
  });

  it('drops an activity without a usable date', () => {
    expect(mapActivity({ id: 'x', trade_date: null, settlement_date: null } as CloudActivity, ACCOUNT)).toEqual({
      ok: false,
      problem: 'activity x has no date and was dropped',
    });
    expect(mapActivity({ id: 'x', trade_date: 'yesterday' } as CloudActivity, ACCOUNT).ok).toBe(false);
    // Not bent into another day, as Date.parse would (March 2nd; the year 2001).
    for (const date of ['2026-02-30', '1']) {
      expect(mapActivity({ id: 'x', trade_date: date } as CloudActivity, ACCOUNT)).toEqual({
        ok: false,
        problem: `activity x has an unreadable date "${date}" and was dropped`,
      });
    }
  });

  it("uses the account's currency when the activity names none", () => {
    expect(buy({ currency: null, symbol: { symbol: 'VFV.TO' } }).currency).toBe('CAD');
  });
});
