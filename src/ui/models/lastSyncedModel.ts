/** The "Last synced" texts of the sidebar, its tooltip and the Sync Status card (docs/sync-rules.md, "What the app says"). */
import { computed, type ReadonlySignal } from '@preact/signals';
import { formatAgo } from '../format/relativeTime.ts';

export interface LastSynced {
  /** "Last synced: 2h ago", "Never synced", or "Last sync failed: 5m ago" when none ever succeeded. */
  sidebar: ReadonlySignal<string>;
  /** "Connect - Last synced 2h ago" or "Connect - Never synced", for the collapsed sidebar. */
  tooltip: ReadonlySignal<string>;
  /** "Last synced: 2 hours ago", "Never synced", or when a sync that never completed was tried. */
  card: ReadonlySignal<string>;
}

/**
 * `lastSyncedAt` is the last success; `lastTriedAt` the start of the newest sync, if it failed. A sync
 * that stored thousands of activities and then failed is not "never synced": it says it was tried.
 */
export function createLastSynced(
  lastSyncedAt: ReadonlySignal<string | null>,
  lastTriedAt: ReadonlySignal<string | null>,
  now: ReadonlySignal<number>,
): LastSynced {
  const ago = (at: ReadonlySignal<string | null>, style: 'short' | 'long') =>
    computed(() => (at.value === null ? null : formatAgo(Date.parse(at.value), now.value, style)));
  const short = ago(lastSyncedAt, 'short');
  const long = ago(lastSyncedAt, 'long');
  const triedShort = ago(lastTriedAt, 'short');
  const triedLong = ago(lastTriedAt, 'long');
  return {
    sidebar: computed(() =>
      short.value
        ? `Last synced: ${short.value}`
        : triedShort.value
          ? `Last sync failed: ${triedShort.value}`
          : 'Never synced',
    ),
    tooltip: computed(() =>
      short.value
        ? `Connect - Last synced ${short.value}`
        : triedShort.value
          ? `Connect - Last sync failed ${triedShort.value}`
          : 'Connect - Never synced',
    ),
    card: computed(() =>
      long.value
        ? `Last synced: ${long.value}`
        : triedLong.value
          ? `No sync has completed yet; the last one was tried ${triedLong.value}`
          : 'Never synced',
    ),
  };
}
