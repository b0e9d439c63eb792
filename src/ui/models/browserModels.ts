/** Small models over browser state: the route, being online, and the install prompt. */
import { type ReadonlySignal, signal } from '@preact/signals';

export type Route = 'connect' | 'accounts' | 'holdings' | 'activities' | 'settings';
const ROUTES: readonly Route[] = ['connect', 'accounts', 'holdings', 'activities', 'settings'];

/** Each page's name: its link in the navigation, and the first word of the document's title. */
export const PAGE_NAMES: Readonly<Record<Route, string>> = {
  connect: 'Connect',
  accounts: 'Accounts',
  holdings: 'Holdings',
  activities: 'Activities',
  settings: 'Settings',
};

/** Hash routes (#/connect): every URL is the precached index.html, so any route opens offline. */
export function createRoute(win: Window): ReadonlySignal<Route> {
  const parse = (): Route => ROUTES.find((route) => win.location.hash === `#/${route}`) ?? 'connect';
  const route = signal(parse());
  win.addEventListener('hashchange', () => {
    route.value = parse();
  });
  return route;
}

export function createOnline(win: Window): ReadonlySignal<boolean> {
  const online = signal(win.navigator.onLine);
  win.addEventListener('online', () => {
    online.value = true;
  });
  win.addEventListener('offline', () => {
    online.value = false;
  });
  return online;
}

/** Chromium's install prompt event (not in TypeScript's DOM library). */
interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

export interface InstallPrompt {
  available: ReadonlySignal<boolean>;
  install(): Promise<void>;
}

export function createInstallPrompt(win: Window): InstallPrompt {
  let deferred: BeforeInstallPromptEvent | null = null;
  const available = signal(false);
  win.addEventListener('beforeinstallprompt', (event) => {
    event.preventDefault();
    deferred = event as BeforeInstallPromptEvent;
    available.value = true;
  });
  win.addEventListener('appinstalled', () => {
    deferred = null;
    available.value = false;
  });
  return {
    available,
    async install() {
      if (!deferred) return;
      await deferred.prompt();
      await deferred.userChoice;
      deferred = null;
      available.value = false;
    },
  };
}
