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

/** The IndexedDB key of the database file for `cloud`. */
export const databaseKey = (cloud: CloudSettings | null): string => (cloud ? `db:${cloud.apiUrl}` : 'db:demo');
