import type { AppModels } from './appModels.ts';
import { Banners } from './components/Banners.tsx';
import { Sidebar } from './components/Sidebar.tsx';
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
  const Page = PAGES[models.route.value];
  return (
    <div class="layout">
      <Sidebar models={models} />
      <main>
        <Banners models={models} />
        <Page models={models} />
      </main>
    </div>
  );
}
