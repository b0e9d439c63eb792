/** The "Last synced" texts of the sidebar, its tooltip and the Sync Status card (MISSION 6). */
import { computed, type ReadonlySignal } from '@preact/signals';
import { formatAgo } from '../format/relativeTime.ts';

export interface LastSynced {
  /** "Last synced: 2h ago" or "Never synced". */
  sidebar: ReadonlySignal<string>;
  /** "Connect - Last synced 2h ago" or "Connect - Never synced", for the collapsed sidebar. */
  tooltip: ReadonlySignal<string>;
  /** "Last synced: 2 hours ago" or "Never synced". */
  card: ReadonlySignal<string>;
}

export function createLastSynced(lastSyncedAt: ReadonlySignal<string | null>, now: ReadonlySignal<number>): LastSynced {
  const at = computed(() => (lastSyncedAt.value ? Date.parse(lastSyncedAt.value) : null));
  const ago = (style: 'short' | 'long') =>
    computed(() => (at.value === null ? null : formatAgo(at.value, now.value, style)));
  const short = ago('short');
  const long = ago('long');
  return {
    sidebar: computed(() => (short.value ? `Last synced: ${short.value}` : 'Never synced')),
    tooltip: computed(() => (short.value ? `Connect - Last synced ${short.value}` : 'Connect - Never synced')),
    card: computed(() => (long.value ? `Last synced: ${long.value}` : 'Never synced')),
  };
}
