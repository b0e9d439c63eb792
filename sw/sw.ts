/// <reference lib="webworker" />
/**
 * The service worker's composition root: precache the app shell (sql.js's wasm included) so
 * the app opens offline, and host the sync (syncHost.ts). It never takes over on its own:
 * a new version waits until the user accepts "Update available — Reload".
 */
import initSqlJs from 'sql.js';
import wasmUrl from 'sql.js/dist/sql-wasm-browser.wasm?url';
import { cleanupOutdatedCaches, matchPrecache, precacheAndRoute } from 'workbox-precaching';
import { fetchHttp } from '../src/platform/fetchHttp.ts';
import { systemClock, systemSleep } from '../src/platform/realTime.ts';
import { BROADCAST_CHANNEL, type Broadcast, type Command, SKIP_WAITING } from '../src/pwa/swProtocol.ts';
import { createSyncHost } from './syncHost.ts';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Parameters<typeof precacheAndRoute>[0] };
/** Changes with every build, so a new build is a new worker (vite.config.ts `define`). */
declare const __BUILD_ID__: string;

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

/** sql.js with its wasm from the precache, so the worker opens the database offline too. */
let sqlJs: ReturnType<typeof initSqlJs> | null = null;
const loadSqlJs = () => {
  sqlJs ??= (async () => {
    const response = (await matchPrecache(wasmUrl)) ?? (await fetch(wasmUrl));
    return initSqlJs({ wasmBinary: await response.arrayBuffer() });
  })();
  return sqlJs;
};

const channel = new BroadcastChannel(BROADCAST_CHANNEL);
const host = createSyncHost({
  sqlJs: loadSqlJs,
  clock: systemClock,
  sleep: systemSleep,
  http: fetchHttp(),
  fetch: (input, init) => fetch(input, init),
  locks: self.navigator.locks,
  isOnline: () => self.navigator.onLine,
  origin: self.location.origin,
  version: __BUILD_ID__,
  broadcast: (message: Broadcast) => channel.postMessage(message),
  log: { warn: (message) => console.warn(`[folio-sync ${__BUILD_ID__}] ${message}`) },
});

self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('message', (event) => {
  const data = event.data as Command | typeof SKIP_WAITING;
  if (data.type === SKIP_WAITING.type) {
    void self.skipWaiting();
    return;
  }
  const port = event.ports[0];
  if (!port) return;
  // waitUntil keeps the worker alive until the sync (or other command) has answered.
  event.waitUntil(host.handle(data).then((reply) => port.postMessage(reply)));
});
