import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { reviewReasons } from '../../src/core/needsReview.ts';
import {
  buildDemoDataset,
  DEMO_HISTORY_START,
  type DemoDataset,
  SMALL_HISTORY_DAYS,
  smallHistoryStart,
} from '../../src/demo/demoDataset.ts';
import { ActivitySchema } from '../../src/transport/cloudSchemas.ts';

const today = '2026-11-28';
const dataset = buildDemoDataset(today);
const all = dataset.accounts.flatMap((account) => account.activities);

describe('demo dataset', () => {
  it('has 3 brokers and 5 accounts, one excluded from sync', () => {
    expect(new Set(dataset.connections.map((connection) => connection.brokerage.slug)).size).toBe(3);
    expect(dataset.accounts).toHaveLength(5);
    expect(dataset.accounts.filter((account) => !account.plan.syncEnabled)).toHaveLength(1);
  });

  it('has about two years and at least 5,000 activities to sync', () => {
    const synced = dataset.accounts
      .filter((account) => account.plan.syncEnabled)
      .flatMap((account) => account.activities);
    expect(synced.length).toBeGreaterThanOrEqual(5000);
    const days = all.map((activity) => activity.trade_date.slice(0, 10)).sort();
    expect(days[0]).toBe(DEMO_HISTORY_START);
    expect(days.at(-1)?.localeCompare(today)).toBeLessThanOrEqual(0);
    expect((Date.parse(today) - Date.parse(DEMO_HISTORY_START)) / 86_400_000).toBeGreaterThan(700);
  });

  it('speaks the protocol, with exactly one activity needing review', () => {
    const parsed = all.map((activity) => v.parse(ActivitySchema, activity));
    expect(parsed.filter((activity) => reviewReasons(activity).length > 0).map((activity) => activity.type)).toEqual([
      'UNKNOWN',
    ]);
    expect(new Set(all.map((activity) => activity.id)).size).toBe(all.length);
  });

  it('covers the kinds of activity holdings are made of', () => {
    const types = new Set(all.map((activity) => activity.type));
    for (const type of [
      'BUY',
      'SELL',
      'SPLIT',
      'DIVIDEND',
      'INTEREST',
      'DEPOSIT',
      'TRANSFER_IN',
      'TRANSFER_OUT',
      'FEE',
      'TAX',
    ]) {
      expect(types).toContain(type);
    }
    const currencies = new Set(all.map((activity) => (activity.currency as { code: string }).code));
    expect([...currencies].sort()).toEqual(['CAD', 'USD']);
  });

  it('never sells more than is held', () => {
    for (const account of dataset.accounts) {
      const held = new Map<string, number>();
      for (const activity of account.activities) {
        const symbol = (activity.symbol as { symbol?: string } | null)?.symbol;
        if (!symbol || typeof activity.units !== 'number') continue;
        const sign = activity.type === 'SELL' || activity.type === 'TRANSFER_OUT' ? -1 : 1;
        const next = (held.get(symbol) ?? 0) + sign * activity.units;
        expect(next).toBeGreaterThanOrEqual(-1e-9);
        held.set(symbol, next);
      }
    }
  });

  it('keeps the past unchanged as days pass, so incremental syncs find only new days', () => {
    const later = buildDemoDataset('2026-12-15');
    for (const [index, account] of dataset.accounts.entries()) {
      const laterActivities = later.accounts[index]?.activities ?? [];
      expect(laterActivities.slice(0, account.activities.length)).toEqual(account.activities);
      expect(laterActivities.length).toBeGreaterThan(account.activities.length);
    }
  });
});

describe('small demo dataset', () => {
  const start = smallHistoryStart(today);
  const small = buildDemoDataset(today, { start });
  const activities = (of: DemoDataset) => of.accounts.flatMap((account) => account.activities);
  const smallAll = activities(small);

  it('covers the last few weeks only, a small part of the full history', () => {
    expect(small.start).toBe(start);
    expect((Date.parse(today) - Date.parse(start)) / 86_400_000).toBe(SMALL_HISTORY_DAYS);
    const days = smallAll.map((activity) => activity.trade_date.slice(0, 10)).sort();
    expect(days[0]).toBe(start);
    expect(days.at(-1)?.localeCompare(today)).toBeLessThanOrEqual(0);
    expect(smallAll.length).toBeGreaterThan(50);
    expect(smallAll.length).toBeLessThan(all.length / 10);
    expect(small.accounts.map((account) => account.plan.id)).toEqual(
      dataset.accounts.map((account) => account.plan.id),
    );
  });

  it('still has trades, deposits, transfers and the one activity needing review, in Personal', () => {
    const types = new Set(smallAll.map((activity) => activity.type));
    for (const type of ['BUY', 'SELL', 'DEPOSIT', 'TRANSFER_IN', 'TRANSFER_OUT', 'UNKNOWN'])
      expect(types).toContain(type);
    const flagged = small.accounts.flatMap((account) =>
      account.activities
        .filter((activity) => reviewReasons(v.parse(ActivitySchema, activity)).length > 0)
        .map(() => account.plan.name),
    );
    expect(flagged).toEqual(['Personal']);
    expect(new Set(smallAll.map((activity) => activity.id)).size).toBe(smallAll.length);
  });

  it('is deterministic, and keeps its past as days pass', () => {
    expect(buildDemoDataset(today, { start })).toEqual(small);
    const later = buildDemoDataset('2026-12-15', { start });
    for (const [index, account] of small.accounts.entries()) {
      const laterActivities = later.accounts[index]?.activities ?? [];
      expect(laterActivities.slice(0, account.activities.length)).toEqual(account.activities);
      expect(laterActivities.length).toBeGreaterThan(account.activities.length);
    }
  });
});
