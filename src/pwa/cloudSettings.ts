/**
 * Which cloud the browser syncs from. The settings (URLs, publishable key) are not secret and
 * live where pages can read them; the refresh token lives in a store only the service worker
 * reads. Each cloud gets its own database file, so switching to a real cloud and back to the
 * demo never mixes their data or loses either.
 */
import { createStore, del, get, set, type UseStore } from 'idb-keyval';

export interface CloudSettings {
  apiUrl: string;
  authUrl: string;
  apiKey: string;
}

const settingsStore = (): UseStore => createStore('folio-sync-settings', 'settings');
const CLOUD_KEY = 'cloud';

/** The configured cloud, or null for the built-in demo cloud. */
export const loadCloudSettings = async (): Promise<CloudSettings | null> =>
  (await get<CloudSettings>(CLOUD_KEY, settingsStore())) ?? null;

export const saveCloudSettings = (cloud: CloudSettings | null): Promise<void> =>
  cloud ? set(CLOUD_KEY, cloud, settingsStore()) : del(CLOUD_KEY, settingsStore());

/**
 * Where the app gets its data: its own syncs in the service worker, or the Folio Sync server that
 * serves it (serverMode.ts). Kept so a start offline knows which copy to open.
 */
export type AppMode = 'browser' | 'server';
const MODE_KEY = 'mode';

/** The mode found last time; before any, the browser syncs itself. */
export const loadAppMode = async (): Promise<AppMode> => (await get<AppMode>(MODE_KEY, settingsStore())) ?? 'browser';

export const saveAppMode = (mode: AppMode): Promise<void> => set(MODE_KEY, mode, settingsStore());

const SERVER_COPY_KEY = 'server-copy';

/** What the offline copy of the server's database is: the server's tag for its bytes, and the data version. */
export interface ServerCopyTag {
  etag: string;
  dataVersion: string;
}

export const loadServerCopyTag = async (): Promise<ServerCopyTag | null> =>
  (await get<ServerCopyTag>(SERVER_COPY_KEY, settingsStore())) ?? null;

export const saveServerCopyTag = (tag: ServerCopyTag): Promise<void> => set(SERVER_COPY_KEY, tag, settingsStore());

/** The IndexedDB key of the database file for `cloud`. */
export const databaseKey = (cloud: CloudSettings | null): string => (cloud ? `db:${cloud.apiUrl}` : 'db:demo');
