/** The activity filters, against a synced demo database. */
import { beforeAll, describe, expect, it } from 'vitest';
import { countActivities, listActivities } from '../../src/storage/views.ts';
import { useDemoCloud } from '../support/demoCloudMock.ts';
import { fakeTime } from '../support/fakeTime.ts';
import { createHarness, type Harness } from '../support/syncHarness.ts';

const time = fakeTime();
const demo = useDemoCloud(time);
let h: Harness;
beforeAll(async () => {
  h = await createHarness(time);
  await h.sync();
});

const all = () =>
  demo
    .dataset()
    .accounts.filter((account) => account.plan.syncEnabled)
    .flatMap((account) => account.activities);

describe('activity filters', () => {
  it('counts everything with no filter, newest first', () => {
    expect(countActivities(h.db)).toBe(all().length);
    const [first, second] = listActivities(h.db, {}, { limit: 2, offset: 0 });
    expect((first?.date ?? '') >= (second?.date ?? '')).toBe(true);
  });

  it('takes both ends of a date range as whole days', () => {
    const expected = all().filter(
      (activity) => activity.trade_date >= '2026-03-02' && activity.trade_date < '2026-03-07',
    ).length;
    expect(expected).toBeGreaterThan(0);
    expect(countActivities(h.db, { from: '2026-03-02', to: '2026-03-06' })).toBe(expected);
  });

  it('ignores a date that is not a day yet, or out of range', () => {
    expect(countActivities(h.db, { from: '2026-0', to: '275760-09-13' })).toBe(all().length);
  });

  it('filters by account, type and review, and searches symbol and description without wildcards', () => {
    const personal = demo.dataset().accounts.find((account) => account.plan.name === 'Personal');
    expect(countActivities(h.db, { accountId: personal?.plan.id ?? '', type: 'DEPOSIT' })).toBe(
      personal?.activities.filter((activity) => activity.type === 'DEPOSIT').length,
    );
    expect(countActivities(h.db, { needsReview: true })).toBe(1);
    expect(countActivities(h.db, { search: 'nvda' })).toBe(
      all().filter((activity) =>
        /NVDA/i.test(`${(activity.symbol as { symbol?: string } | null)?.symbol} ${activity.description}`),
      ).length,
    );
    expect(countActivities(h.db, { search: '%' })).toBe(0);
    expect(countActivities(h.db, { search: '_' })).toBe(0);
  });
});
