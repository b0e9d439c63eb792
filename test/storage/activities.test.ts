import initSqlJs from 'sql.js';
import * as v from 'valibot';
import { beforeEach, describe, expect, it } from 'vitest';
import { mapActivity } from '../../src/core/activityMapping.ts';
import { type ActivityInput, deleteActivity, upsertSyncedActivity } from '../../src/storage/activities.ts';
import { upsertAccount } from '../../src/storage/brokers.ts';
import { startImportRun } from '../../src/storage/importRuns.ts';
import type { SqlDatabase } from '../../src/storage/sqlDatabase.ts';
import { openSqlJsDatabase } from '../../src/storage/sqljs/sqlJsDatabase.ts';
import { ActivitySchema, type CloudActivity } from '../../src/transport/cloudSchemas.ts';
import { memoryByteStore } from '../support/syncHarness.ts';

const NOW = '2026-11-28T12:00:00.000Z';
const ACCOUNT = { id: 'acc-1', currency: 'CAD' };
const sqlJs = initSqlJs();

/** A BUY as the cloud would send it, validated and mapped the way the engine does. */
function buy(fields: Record<string, unknown> = {}): ActivityInput {
  const cloud = v.parse(ActivitySchema, {
    id: 'act-1',
    type: 'BUY',
    symbol: { symbol: 'VFV.TO' },
    price: 112.45,
    units: 10,
    amount: -1124.5,
    currency: { code: 'CAD' },
    description: 'Bought 10 VFV',
    trade_date: '2026-11-20T14:31:00Z',
    source_record_id: 'rec-1',
    ...fields,
  });
  const mapped = mapActivity(cloud, ACCOUNT);
  if (!mapped.ok) throw new Error(mapped.problem);
  return mapped.activity;
}

let db: SqlDatabase;
let runId: number;
beforeEach(async () => {
  db = await openSqlJsDatabase(await sqlJs, memoryByteStore());
  upsertAccount(
    db,
    {
      id: ACCOUNT.id,
      name: 'TFSA',
      accountType: 'TFSA',
      currency: 'CAD',
      accountNumber: null,
      institutionName: null,
      platformId: null,
      connectionId: null,
      providerAccountId: ACCOUNT.id,
      balance: null,
      balanceCurrency: null,
      syncEnabled: true,
      isPaper: false,
      status: null,
    },
    NOW,
  );
  runId = startImportRun(
    db,
    { accountId: ACCOUNT.id, provider: 'snaptrade', mode: 'INITIAL', windowStart: null, windowEnd: null },
    NOW,
  );
});

const apply = (input: ActivityInput, claimed = new Set<string>()) =>
  upsertSyncedActivity(db, input, runId, claimed, NOW);
const rows = () => db.all('SELECT id, source_record_id, quantity FROM activities ORDER BY id');

describe('activity dedup', () => {
  it('inserts, then finds the same activity unchanged', () => {
    expect(apply(buy())).toBe('inserted');
    expect(apply(buy())).toBe('unchanged');
    expect(rows()).toHaveLength(1);
  });

  it('updates a stored activity when the cloud changed it', () => {
    apply(buy());
    expect(apply(buy({ description: 'Bought 10 VFV (corrected)' }))).toBe('updated');
  });

  it('matches by (source system, account, source record id) when the id changed', () => {
    apply(buy());
    expect(apply(buy({ id: 'act-new-id' }))).toBe('unchanged');
    expect(rows()).toEqual([{ id: 'act-1', source_record_id: 'rec-1', quantity: '10' }]);
  });

  it('matches by idempotency key when the provider re-issued every id', () => {
    apply(buy());
    expect(apply(buy({ id: 'act-2', source_record_id: 'rec-2' }))).toBe('updated');
    expect(rows()).toEqual([{ id: 'act-1', source_record_id: 'rec-2', quantity: '10' }]);
  });

  it('keeps two identical trades of one sync as two rows', () => {
    const claimed = new Set<string>();
    expect(apply(buy(), claimed)).toBe('inserted');
    expect(apply(buy({ id: 'act-2', source_record_id: 'rec-2' }), claimed)).toBe('inserted');
    expect(rows()).toHaveLength(2);
  });

  it('leaves a user-modified row alone', () => {
    apply(buy());
    db.run("UPDATE activities SET quantity = '11', is_user_modified = 1");
    expect(apply(buy({ description: 'changed upstream' }))).toBe('kept-user-edit');
    expect(rows()).toEqual([{ id: 'act-1', source_record_id: 'rec-1', quantity: '11' }]);
  });

  it('does not bring back a deleted activity, under any of its identities', () => {
    apply(buy());
    deleteActivity(db, 'act-1', NOW);
    expect(apply(buy())).toBe('kept-deleted');
    expect(apply(buy({ id: 'other-id' }))).toBe('kept-deleted');
    expect(apply(buy({ id: 'other-id', source_record_id: 'other-rec' }))).toBe('kept-deleted');
    expect(rows()).toEqual([]);
  });

  it('normalizes decimals, so 10 and 10.00 are the same quantity', () => {
    apply(buy());
    expect(apply(buy({ units: '10.00', price: '112.450' }))).toBe('unchanged');
  });
});

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
  });

  it("uses the account's currency when the activity names none", () => {
    expect(buy({ currency: null, symbol: { symbol: 'VFV.TO' } }).currency).toBe('CAD');
  });
});

describe('activity dedup, identities shared within one sync', () => {
  it('keeps a dividend and its withholding tax that share a reference as two rows, and stable', () => {
    const dividend = buy({
      id: 'div-1',
      type: 'DIVIDEND',
      source_record_id: null,
      external_reference_id: 'ref-9',
      units: null,
      price: null,
      amount: 10,
    });
    const tax = buy({
      id: 'tax-1',
      type: 'TAX',
      source_record_id: null,
      external_reference_id: 'ref-9',
      units: null,
      price: null,
      amount: -1.5,
    });
    const claimed = new Set<string>();
    expect([apply(dividend, claimed), apply(tax, claimed)]).toEqual(['inserted', 'inserted']);
    const again = new Set<string>();
    expect([apply(dividend, again), apply(tax, again)]).toEqual(['unchanged', 'unchanged']);
  });

  it('does not let one deleted trade swallow a new identical one', () => {
    const claimed = new Set<string>();
    apply(buy({ id: 't1', source_record_id: 'r1' }), claimed);
    deleteActivity(db, 't1', NOW);
    const sync = new Set<string>();
    expect(apply(buy({ id: 't1', source_record_id: 'r1' }), sync)).toBe('kept-deleted');
    expect(apply(buy({ id: 't3', source_record_id: 'r3' }), sync)).toBe('inserted');
    expect(rows().map((row) => row.id)).toEqual(['t3']);
  });
});
