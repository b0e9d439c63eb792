/**
 * The dedup rules (docs/sync-rules.md, "Dedup") on real sql.js: which stored row or tombstone
 * an incoming activity is, whatever order the cloud sends them in.
 */
import initSqlJs from 'sql.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { type ActivityDedup, createActivityDedup, type DedupOutcome } from '../../src/core/activityDedup.ts';
import { type ActivityInput, deleteActivity } from '../../src/storage/activities.ts';
import { upsertAccount } from '../../src/storage/brokers.ts';
import { startImportRun } from '../../src/storage/importRuns.ts';
import type { SqlDatabase } from '../../src/storage/sqlDatabase.ts';
import { openSqlJsDatabase } from '../../src/storage/sqljs/sqlJsDatabase.ts';
import { mappedBuy } from '../support/mappedActivity.ts';
import { memoryByteStore } from '../support/syncHarness.ts';

const NOW = '2026-11-28T12:00:00.000Z';
const sqlJs = initSqlJs();

const buy = mappedBuy;

let db: SqlDatabase;
beforeEach(async () => {
  db = await openSqlJsDatabase(await sqlJs, memoryByteStore());
  for (const id of ['acc-1', 'acc-2']) {
    upsertAccount(
      db,
      {
        id,
        name: id,
        accountType: 'TFSA',
        currency: 'CAD',
        accountNumber: null,
        institutionName: null,
        platformId: null,
        connectionId: null,
        providerAccountId: id,
        balance: null,
        balanceCurrency: null,
        syncEnabled: true,
        isPaper: false,
        status: null,
      },
      NOW,
    );
  }
});

/** One account's sync: pages in, then the dedup's finish, each in a transaction like the engine's. */
function sync(accountId = 'acc-1', window: { startDate?: string; endDate?: string } = {}): ActivityDedup {
  const importRunId = startImportRun(
    db,
    { accountId, provider: 'snaptrade', mode: 'INITIAL', windowStart: null, windowEnd: null },
    NOW,
  );
  return createActivityDedup({ db, accountId, importRunId, window, now: () => NOW });
}

/** Syncs `pages` of one account and says how each activity ended, in the order the outcomes were counted. */
function syncPages(
  pages: ActivityInput[][],
  accountId = 'acc-1',
  window: { startDate?: string; endDate?: string } = {},
): Record<DedupOutcome, number> {
  const dedup = sync(accountId, window);
  const total = { inserted: 0, updated: 0, unchanged: 0, 'kept-user-edit': 0, 'kept-deleted': 0 };
  const add = (counts: Record<DedupOutcome, number>) => {
    for (const key of Object.keys(total) as DedupOutcome[]) total[key] += counts[key];
  };
  for (const page of pages) db.transaction(() => add(dedup.applyPage(page)));
  db.transaction(() => add(dedup.finish()));
  return total;
}

/** The single outcome of syncing one activity alone. */
function apply(input: ActivityInput): DedupOutcome {
  const counts = syncPages([[input]], input.accountId);
  const outcomes = (Object.keys(counts) as DedupOutcome[]).filter((key) => counts[key] > 0);
  expect(outcomes).toHaveLength(1);
  return outcomes[0] as DedupOutcome;
}

const rows = () =>
  db.all('SELECT id, provider_activity_id, account_id, source_record_id, quantity FROM activities ORDER BY id');

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
    expect(apply(buy({ id: 'act-new-id' }))).toBe('updated');
    expect(rows()).toEqual([
      {
        id: 'act-1',
        provider_activity_id: 'act-new-id',
        account_id: 'acc-1',
        source_record_id: 'rec-1',
        quantity: '10',
      },
    ]);
  });

  it('matches by idempotency key when the provider re-issued every id', () => {
    apply(buy());
    expect(apply(buy({ id: 'act-2', source_record_id: 'rec-2' }))).toBe('updated');
    expect(rows()).toEqual([
      { id: 'act-1', provider_activity_id: 'act-2', account_id: 'acc-1', source_record_id: 'rec-2', quantity: '10' },
    ]);
  });

  it('keeps two identical trades of one sync as two rows', () => {
    expect(syncPages([[buy(), buy({ id: 'act-2', source_record_id: 'rec-2' })]])).toMatchObject({ inserted: 2 });
    expect(rows()).toHaveLength(2);
  });

  it('leaves a user-modified row alone', () => {
    apply(buy());
    db.run("UPDATE activities SET quantity = '11', is_user_modified = 1");
    expect(apply(buy({ description: 'changed upstream' }))).toBe('kept-user-edit');
    expect(rows()).toEqual([
      { id: 'act-1', provider_activity_id: 'act-1', account_id: 'acc-1', source_record_id: 'rec-1', quantity: '11' },
    ]);
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

  it('stores the same activity sent twice in one sync once', () => {
    expect(syncPages([[buy()], [buy()]])).toMatchObject({ inserted: 1, unchanged: 1 });
    apply(buy({ id: 'act-9', source_record_id: 'rec-9', units: 3 }));
    // Twice, and both times only matched by its source record: still one row.
    expect(syncPages([[buy({ id: 'act-7' })], [buy({ id: 'act-7' })]])).toMatchObject({ inserted: 0, updated: 1 });
    expect(rows()).toHaveLength(2);
  });
});

describe('activity dedup, whatever the order', () => {
  // A stored; B is the same trade (same content) with its own id and record: a second fill the same day.
  const A = () => buy({ id: 'A', source_record_id: 'rec-A' });
  const B = () => buy({ id: 'B', source_record_id: 'rec-B' });

  it.each([
    ['B before A on one page', [[B(), A()]]],
    ['B on a page before A', [[B()], [A()]]],
    ['A before B', [[A(), B()]]],
  ])('keeps A and its twin B as two rows: %s', (_, pages) => {
    apply(A());
    expect(syncPages(pages)).toMatchObject({ inserted: 1, unchanged: 1, updated: 0 });
    expect(rows().map((row) => row.id)).toEqual(['A', 'B']);
  });

  it.each([
    ['B before A', [[B(), A()]]],
    ['A before B', [[A()], [B()]]],
  ])("does not let A's tombstone swallow its twin B: %s", (_, pages) => {
    apply(A());
    deleteActivity(db, 'A', NOW);
    expect(syncPages(pages)).toMatchObject({ inserted: 1, 'kept-deleted': 1 });
    expect(rows().map((row) => row.id)).toEqual(['B']);
  });

  it.each([
    ['before', (fee: ActivityInput, tax: ActivityInput, dividend: ActivityInput) => [[fee, tax, dividend]]],
    ['after', (fee: ActivityInput, tax: ActivityInput, dividend: ActivityInput) => [[tax], [dividend, fee]]],
    ['between', (fee: ActivityInput, tax: ActivityInput, dividend: ActivityInput) => [[tax, fee], [dividend]]],
  ])('lets an exact id win over a shared source record: the newcomer %s them', (_, order) => {
    const dividend = buy({
      id: 'div',
      type: 'DIVIDEND',
      source_record_id: null,
      external_reference_id: 'ref-9',
      amount: 10,
    });
    const tax = buy({ id: 'tax', type: 'TAX', source_record_id: null, external_reference_id: 'ref-9', amount: -1.5 });
    syncPages([[dividend, tax]]);
    // A new activity sharing the reference arrives around the two it could be mistaken for.
    const fee = buy({ id: 'fee', type: 'FEE', source_record_id: null, external_reference_id: 'ref-9', amount: -2 });
    expect(syncPages(order(fee, tax, dividend))).toMatchObject({ inserted: 1, unchanged: 2 });
    expect(rows().map((row) => row.id)).toEqual(['div', 'fee', 'tax']);
  });

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
    expect(syncPages([[dividend, tax]])).toMatchObject({ inserted: 2 });
    expect(syncPages([[dividend, tax]])).toMatchObject({ unchanged: 2 });
  });
});

describe('activity dedup, the same activity sent twice while it waits', () => {
  // B resembles stored A (same day and content) but is its own activity; it waits for A's exact claim.
  const A = () => buy({ id: 'A', source_record_id: 'rec-A' });
  const B = () => buy({ id: 'B', source_record_id: 'rec-B' });

  it.each([
    ['B, A, B', [[B()], [A()], [B()]]],
    ['B and A, then B', [[B(), A()], [B()]]],
    ['B, B, A', [[B()], [B()], [A()]]],
  ])('stores B once: %s', (_, pages) => {
    apply(A());
    expect(syncPages(pages)).toMatchObject({ inserted: 1, unchanged: 1 });
    expect(rows().map((row) => row.provider_activity_id)).toEqual(['A', 'B']);
  });
});

describe('activity dedup in an incremental window', () => {
  const dividend = () =>
    buy({
      id: 'div',
      type: 'DIVIDEND',
      source_record_id: null,
      external_reference_id: 'ref-9',
      amount: 10,
      trade_date: '2026-11-10T12:00:00Z',
    });
  const tax = () =>
    buy({
      id: 'tax',
      type: 'TAX',
      source_record_id: null,
      external_reference_id: 'ref-9',
      amount: -1.5,
      trade_date: '2026-11-21T12:00:00Z',
    });

  it('does not let a newcomer take over a stored activity outside the window by a shared reference', () => {
    apply(dividend());
    expect(syncPages([[tax()]], 'acc-1', { startDate: '2026-11-20', endDate: '2026-11-28' })).toMatchObject({
      inserted: 1,
    });
    expect(rows().map((row) => row.provider_activity_id)).toEqual(['div', 'tax']);
  });

  it('nor a deleted one outside the window swallow it', () => {
    apply(dividend());
    deleteActivity(db, 'div', NOW);
    expect(syncPages([[tax()]], 'acc-1', { startDate: '2026-11-20', endDate: '2026-11-28' })).toMatchObject({
      inserted: 1,
    });
  });

  it('still matches a re-issued id inside the window', () => {
    apply(tax());
    expect(
      syncPages(
        [
          [
            buy({
              ...{ id: 'tax-2' },
              type: 'TAX',
              source_record_id: null,
              external_reference_id: 'ref-9',
              amount: -1.5,
              trade_date: '2026-11-21T12:00:00Z',
            }),
          ],
        ],
        'acc-1',
        { startDate: '2026-11-20', endDate: '2026-11-28' },
      ),
    ).toMatchObject({ updated: 1 });
    expect(rows().map((row) => row.provider_activity_id)).toEqual(['tax-2']);
  });
});

describe('activity dedup across accounts', () => {
  it('keeps the same cloud id in two accounts as two activities, each in its own account', () => {
    expect(apply(buy({ id: 'same-id', units: 5 }, 'acc-1'))).toBe('inserted');
    expect(apply(buy({ id: 'same-id', units: 7 }, 'acc-2'))).toBe('inserted');
    expect(db.all('SELECT account_id, provider_activity_id, quantity FROM activities ORDER BY account_id')).toEqual([
      { account_id: 'acc-1', provider_activity_id: 'same-id', quantity: '5' },
      { account_id: 'acc-2', provider_activity_id: 'same-id', quantity: '7' },
    ]);
    // And both stay put, unchanged, sync after sync.
    expect(apply(buy({ id: 'same-id', units: 5 }, 'acc-1'))).toBe('unchanged');
    expect(apply(buy({ id: 'same-id', units: 7 }, 'acc-2'))).toBe('unchanged');
  });

  it("does not let one account's deletion hide another account's activity with the same id", () => {
    apply(buy({ id: 'same-id' }, 'acc-1'));
    deleteActivity(db, 'same-id', NOW);
    expect(apply(buy({ id: 'same-id' }, 'acc-2'))).toBe('inserted');
    expect(apply(buy({ id: 'same-id' }, 'acc-1'))).toBe('kept-deleted');
  });
});

describe('holdings marks', () => {
  it('marks new activities pending and a changed one the whole account, in the transaction that changed them, and only then', () => {
    const stale = () =>
      db.all('SELECT account_id FROM holdings_stale ORDER BY account_id').map((row) => row.account_id);
    const pending = () => db.all('SELECT account_id, activity_id FROM holdings_pending ORDER BY activity_id');
    db.run('DELETE FROM holdings_stale');
    apply(buy());
    expect(stale()).toEqual([]);
    expect(pending()).toEqual([{ account_id: 'acc-1', activity_id: rows()[0]?.id }]);
    apply(buy());
    expect(pending()).toHaveLength(1);
    // Changed: the whole account is recomputed, which covers what was pending.
    apply(buy({ units: 3 }));
    expect(stale()).toEqual(['acc-1']);
    expect(pending()).toEqual([]);
    db.run('DELETE FROM holdings_stale');
    const dedup = sync();
    expect(() =>
      db.transaction(() => {
        dedup.applyPage([buy({ id: 'new', source_record_id: 'new', units: 2 })]);
        throw new Error('crash inside the page');
      }),
    ).toThrow('crash');
    expect(stale()).toEqual([]);
    expect(pending()).toEqual([]);
    expect(rows()).toHaveLength(1);
  });
});
