import { useState } from 'preact/hooks';
import type { AppModels } from '../appModels.ts';
import { PAGE_NAMES, type Route } from '../models/browserModels.ts';

const LINKS: { route: Route; icon: string }[] = [
  { route: 'connect', icon: '☁' },
  { route: 'accounts', icon: '▤' },
  { route: 'holdings', icon: '◔' },
  { route: 'activities', icon: '☰' },
  { route: 'settings', icon: '⚙' },
];

/** A layout preference, not data: it stays on this device, and losing it costs nothing. */
const COLLAPSED_KEY = 'folio-sync:sidebar-collapsed';

function readCollapsed(): boolean {
  try {
    return localStorage.getItem(COLLAPSED_KEY) === 'true';
  } catch {
    return false; // storage refused (a locked-down profile): start expanded
  }
}

function saveCollapsed(collapsed: boolean): void {
  try {
    localStorage.setItem(COLLAPSED_KEY, String(collapsed));
  } catch {
    // Not remembered this time; the sidebar still toggles.
  }
}

/** The sidebar on a desktop; on a phone, the same links as a tab bar along the bottom (styles.css). */
export function Sidebar({ models }: { models: Pick<AppModels, 'route' | 'lastSynced'> }) {
  const [collapsed, setCollapsed] = useState(readCollapsed);
  const { route, lastSynced } = models;
  return (
    <nav class={`sidebar${collapsed ? ' collapsed' : ''}`} aria-label="Main">
      <div class="brand">
        <img src="/icons/icon.svg" alt="" width="28" height="28" />
        <span class="label">Folio Sync</span>
      </div>
      <ul>
        {LINKS.map((link) => {
          const isConnect = link.route === 'connect';
          const name = PAGE_NAMES[link.route];
          return (
            <li key={link.route}>
              <a href={`#/${link.route}`} aria-current={route.value === link.route ? 'page' : undefined}>
                <span class="icon" aria-hidden="true">
                  {link.icon}
                </span>
                <span class="label">
                  {name}
                  {isConnect && <small class="last-synced">{lastSynced.sidebar.value}</small>}
                </span>
                {collapsed && (
                  <span class="tooltip visually-hidden" role="tooltip">
                    {isConnect ? lastSynced.tooltip.value : name}
                  </span>
                )}
              </a>
            </li>
          );
        })}
      </ul>
      <button
        type="button"
        class="collapse"
        aria-expanded={!collapsed}
        aria-label={collapsed ? 'Expand the sidebar' : 'Collapse the sidebar'}
        onClick={() => {
          saveCollapsed(!collapsed);
          setCollapsed(!collapsed);
        }}
      >
        <span aria-hidden="true">{collapsed ? '»' : '«'}</span>
        <span class="label">Collapse</span>
      </button>
    </nav>
  );
}
