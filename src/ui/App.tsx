import { useEffect, useRef } from 'preact/hooks';
import type { AppModels } from './appModels.ts';
import { Banners } from './components/Banners.tsx';
import { Sidebar } from './components/Sidebar.tsx';
import { PAGE_NAMES } from './models/browserModels.ts';
import { AccountsPage } from './pages/AccountsPage.tsx';
import { ActivitiesPage } from './pages/ActivitiesPage.tsx';
import { ConnectPage } from './pages/ConnectPage.tsx';
import { HoldingsPage } from './pages/HoldingsPage.tsx';
import { SettingsPage } from './pages/SettingsPage.tsx';

const PAGES = {
  connect: ConnectPage,
  accounts: AccountsPage,
  holdings: HoldingsPage,
  activities: ActivitiesPage,
  settings: SettingsPage,
};

export function App({ models }: { models: AppModels }) {
  const route = models.route.value;
  const Page = PAGES[route];
  const main = useRef<HTMLElement>(null);
  const started = useRef(false);
  useEffect(() => {
    document.title = `${PAGE_NAMES[route]} · Folio Sync`;
    // After a navigation (not at start), a screen reader or keyboard user goes on from the new
    // page's heading, not from the link they left behind.
    if (!started.current) {
      started.current = true;
      return;
    }
    const heading = main.current?.querySelector('h1');
    heading?.setAttribute('tabindex', '-1');
    heading?.focus();
  }, [route]);
  return (
    <div class="layout">
      {/* biome-ignore lint/a11y/useValidAnchor: a link to #main, but the hash is the route: it moves focus itself. */}
      <a
        class="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          main.current?.focus();
        }}
      >
        Skip to content
      </a>
      <Sidebar models={models} />
      <main id="main" tabIndex={-1} ref={main}>
        <Banners models={models} />
        <Page models={models} />
      </main>
    </div>
  );
}
