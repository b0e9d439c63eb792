/** Small models over browser state: the route, being online, the install prompt, the first paint. */
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

/** A browser that does not report paints still goes on after this long. */
const FIRST_PAINT_FALLBACK_MS = 1000;

/**
 * Settles once the page's first contentful paint is on screen: what the first screen does not
 * need (sql.js's wasm, the server-mode question) waits for it, so nothing on the network delays it.
 */
export function firstPaint(win: Window): Promise<void> {
  return new Promise((resolve) => {
    let observer: PerformanceObserver | null = null;
    const done = () => {
      observer?.disconnect();
      resolve();
    };
    win.setTimeout(done, FIRST_PAINT_FALLBACK_MS);
    if (typeof PerformanceObserver !== 'function') return;
    observer = new PerformanceObserver((list) => {
      if (list.getEntriesByName('first-contentful-paint').length > 0) done();
    });
    observer.observe({ type: 'paint', buffered: true });
  });
}
