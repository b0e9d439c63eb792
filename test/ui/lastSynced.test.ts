import { signal } from '@preact/signals';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatAgo } from '../../src/ui/format/relativeTime.ts';
import { createLastSynced } from '../../src/ui/models/lastSyncedModel.ts';
import { createNow } from '../../src/ui/models/nowModel.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-11-28T12:00:00Z'));
});
afterEach(() => vi.useRealTimers());

/** The models as main.tsx wires them, with vitest's fake timers behind clock and ticker. */
function setup(lastSyncedAt: string | null, lastTriedAt: string | null = lastSyncedAt) {
  const last = signal(lastSyncedAt);
  const ticking = createNow({ now: () => Date.now() }, globalThis);
  return { last, ticking, texts: createLastSynced(last, signal(lastTriedAt), ticking.now) };
}

describe('last synced', () => {
  it('says "Never synced" before the first sync, everywhere', () => {
    const { texts } = setup(null);
    expect([texts.sidebar.value, texts.tooltip.value, texts.card.value]).toEqual([
      'Never synced',
      'Connect - Never synced',
      'Never synced',
    ]);
  });

  it('says a sync that never completed was tried, rather than "Never synced"', () => {
    const { texts } = setup(null, new Date(Date.now() - 5 * MINUTE).toISOString());
    expect([texts.sidebar.value, texts.tooltip.value, texts.card.value]).toEqual([
      'Last sync failed: 5m ago',
      'Connect - Last sync failed 5m ago',
      'No sync has completed yet; the last one was tried 5 minutes ago',
    ]);
  });

  it('says "2h ago" in the sidebar and its tooltip, "2 hours ago" on the card', () => {
    const { texts } = setup(new Date(Date.now() - 2 * HOUR).toISOString());
    expect(texts.sidebar.value).toBe('Last synced: 2h ago');
    expect(texts.tooltip.value).toBe('Connect - Last synced 2h ago');
    expect(texts.card.value).toBe('Last synced: 2 hours ago');
  });

  it('ticks: the text moves on as time passes, without anything else happening', () => {
    const { texts, ticking } = setup(new Date().toISOString());
    expect(texts.sidebar.value).toBe('Last synced: just now');
    vi.advanceTimersByTime(59 * MINUTE);
    expect(texts.sidebar.value).toBe('Last synced: 59m ago');
    vi.advanceTimersByTime(MINUTE);
    expect(texts.sidebar.value).toBe('Last synced: 1h ago');
    expect(texts.card.value).toBe('Last synced: 1 hour ago');
    ticking.stop();
    vi.advanceTimersByTime(HOUR);
    expect(texts.sidebar.value).toBe('Last synced: 1h ago');
  });

  it('follows a sync made elsewhere (a new last-synced time)', () => {
    const { texts, last } = setup(new Date(Date.now() - 3 * HOUR).toISOString());
    expect(texts.sidebar.value).toBe('Last synced: 3h ago');
    last.value = new Date().toISOString();
    expect(texts.sidebar.value).toBe('Last synced: just now');
  });
});

describe('formatAgo', () => {
  const now = Date.parse('2026-11-28T12:00:00Z');
  it.each([
    [0, 'just now', 'just now'],
    [59_999, 'just now', 'just now'],
    [MINUTE, '1m ago', '1 minute ago'],
    [90 * MINUTE, '1h ago', '1 hour ago'],
    [23 * HOUR + 59 * MINUTE, '23h ago', '23 hours ago'],
    [24 * HOUR, '1d ago', '1 day ago'],
    [3 * 24 * HOUR, '3d ago', '3 days ago'],
    [-5 * MINUTE, 'just now', 'just now'],
  ])('%i ms ago is "%s" / "%s"', (elapsed, short, long) => {
    expect(formatAgo(now - elapsed, now, 'short')).toBe(short);
    expect(formatAgo(now - elapsed, now, 'long')).toBe(long);
  });
});
