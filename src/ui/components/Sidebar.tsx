import { useSignal } from '@preact/signals';
import type { AppModels } from '../appModels.ts';
import type { Route } from '../models/browserModels.ts';

const LINKS: { route: Route; label: string; icon: string }[] = [
  { route: 'connect', label: 'Connect', icon: '☁' },
  { route: 'accounts', label: 'Accounts', icon: '▤' },
  { route: 'holdings', label: 'Holdings', icon: '◔' },
  { route: 'activities', label: 'Activities', icon: '☰' },
  { route: 'settings', label: 'Settings', icon: '⚙' },
];

export function Sidebar({ models }: { models: AppModels }) {
  const collapsed = useSignal(false);
  const { route, lastSynced } = models;
  return (
    <nav class={`sidebar${collapsed.value ? ' collapsed' : ''}`} aria-label="Main">
      <div class="brand">
        <img src="/icons/icon.svg" alt="" width="28" height="28" />
        <span class="label">Folio Sync</span>
      </div>
      <ul>
        {LINKS.map((link) => {
          const isConnect = link.route === 'connect';
          return (
            <li key={link.route}>
              <a href={`#/${link.route}`} aria-current={route.value === link.route ? 'page' : undefined}>
                <span class="icon" aria-hidden="true">
                  {link.icon}
                </span>
                <span class="label">
                  {link.label}
                  {isConnect && <small class="last-synced">{lastSynced.sidebar.value}</small>}
                </span>
                {collapsed.value && (
                  <span class="tooltip visually-hidden" role="tooltip">
                    {isConnect ? lastSynced.tooltip.value : link.label}
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
        aria-expanded={!collapsed.value}
        aria-label={collapsed.value ? 'Expand the sidebar' : 'Collapse the sidebar'}
        onClick={() => {
          collapsed.value = !collapsed.value;
        }}
      >
        <span aria-hidden="true">{collapsed.value ? '»' : '«'}</span>
        <span class="label">Collapse</span>
      </button>
    </nav>
  );
}
