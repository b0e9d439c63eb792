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
  /** One text in its three forms: after a success, after failures only, and before any sync. */
  const say = (
    style: 'short' | 'long',
    synced: (ago: string) => string,
    tried: (ago: string) => string,
    never: string,
  ) => {
    const done = ago(lastSyncedAt, style);
    const attempted = ago(lastTriedAt, style);
    return computed(() => (done.value ? synced(done.value) : attempted.value ? tried(attempted.value) : never));
  };
  return {
    sidebar: say(
      'short',
      (at) => `Last synced: ${at}`,
      (at) => `Last sync failed: ${at}`,
      'Never synced',
    ),
    tooltip: say(
      'short',
      (at) => `Connect - Last synced ${at}`,
      (at) => `Connect - Last sync failed ${at}`,
      'Connect - Never synced',
    ),
    card: say(
      'long',
      (at) => `Last synced: ${at}`,
      (at) => `No sync has completed yet; the last one was tried ${at}`,
      'Never synced',
    ),
  };
}
