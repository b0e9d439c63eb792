/** The review queue against a synced demo database: decisions stick, and the account follows. */
import { beforeEach, describe, expect, it } from 'vitest';
import { type Correction, type ReviewDecision, reviewActivity } from '../../src/core/review.ts';
import { getActivity, listAccounts, listActivities, listHoldings } from '../../src/storage/views.ts';
import { useDemoCloud } from '../support/demoCloudMock.ts';
import { fakeTime } from '../support/fakeTime.ts';
import { createHarness, type Harness } from '../support/syncHarness.ts';

const time = fakeTime();
useDemoCloud(time, 'small');

let h: Harness;
let flagged: { id: string; account_id: string };
beforeEach(async () => {
  time.set('2026-11-28T12:00:00.000Z');
  h = await createHarness(time);
  await h.sync();
  const draft = listActivities(h.db, { needsReview: true }, { limit: 10, offset: 0 })[0];
  const account = listAccounts(h.db).find((candidate) => candidate.name === draft?.accountName);
  flagged = { id: draft?.id ?? '', account_id: account?.id ?? '' };
});

const state = () => listAccounts(h.db).find((account) => account.id === flagged.account_id)?.syncStatus;
const shop = () =>
  listHoldings(h.db).find((holding) => holding.accountId === flagged.account_id && holding.symbol === 'SHOP.TO')
    ?.quantity ?? null;
const review = (id: string, decision: ReviewDecision) =>
  reviewActivity({ db: h.db, clock: time.clock, emit: () => undefined, log: { warn: () => undefined } }, id, decision);
/** A later sync that fetches the whole history again. */
const resyncEverything = async () => {
  h.db.run('UPDATE brokers_sync_state SET last_successful_at = NULL');
  time.advance(2 * 60 * 60_000);
  return h.sync();
};

describe('review queue', () => {
  it('starts with the one flagged activity, its account NEEDS_REVIEW', () => {
    expect(flagged.id).not.toBe('');
    expect(state()).toBe('NEEDS_REVIEW');
  });

  it('confirming empties the queue: the account is IDLE, the activity counts in holdings, and stays confirmed', async () => {
    const before = Number(shop() ?? 0);
    review(flagged.id, { kind: 'confirm' });
    expect(state()).toBe('IDLE');
    // The flagged activity is a reorganization of 2 SHOP shares, type UNKNOWN: confirmed as is, it moves no shares.
    expect(Number(shop() ?? 0)).toBe(before);
    await resyncEverything();
    expect(getActivity(h.db, flagged.id)?.needsReview).toBe(false);
    expect(state()).toBe('IDLE');
  });

  it('a correction is kept through later syncs and counts in holdings', async () => {
    const before = Number(shop() ?? 0);
    review(flagged.id, {
      kind: 'correct',
      correction: {
        activityType: 'transfer_in',
        quantity: '2',
        unitPrice: '150.5',
        amount: '0',
        activityDate: '2025-09-29',
      },
    });
    expect(Number(shop())).toBe(before + 2);
    expect(state()).toBe('IDLE');
    await resyncEverything();
    // Kept as the user corrected it through a whole-history sync: the user's edit wins.
    expect(getActivity(h.db, flagged.id)).toMatchObject({
      type: 'TRANSFER_IN',
      quantity: '2',
      unitPrice: '150.5',
      needsReview: false,
    });
    expect(state()).toBe('IDLE');
  });

  it('a deletion is kept through later syncs', async () => {
    review(flagged.id, { kind: 'delete' });
    expect(state()).toBe('IDLE');
    const result = await resyncEverything();
    expect(getActivity(h.db, flagged.id)).toBeUndefined();
    expect(result.activitiesSynced.activitiesUpserted).toBe(0);
    expect(state()).toBe('IDLE');
  });

  it('refuses a correction that does not make sense, changing nothing', () => {
    const attempt = (fields: Partial<Correction>) => () =>
      review(flagged.id, {
        kind: 'correct',
        correction: {
          activityType: 'BUY',
          quantity: '1',
          unitPrice: '1',
          amount: '-1',
          activityDate: '2025-09-29',
          ...fields,
        },
      });
    expect(attempt({ activityType: 'PURCHASE' })).toThrow('"PURCHASE" is not an activity type');
    expect(attempt({ quantity: 'two' })).toThrow('Quantity "two" is not a number');
    expect(attempt({ activityDate: 'someday' })).toThrow('"someday" is not a date');
    expect(getActivity(h.db, flagged.id)?.needsReview).toBe(true);
    expect(() => review('no-such-id', { kind: 'confirm' })).toThrow('There is no activity no-such-id');
  });
});
