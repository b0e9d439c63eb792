/**
 * Refresh tokens, one per cloud, in an IndexedDB store that only the service worker reads:
 * never in localStorage, never in a URL, never in the database file a user can export.
 * The demo cloud is signed in with its public token until the user signs out of it.
 */
import { createStore, get, set, type UseStore } from 'idb-keyval';
import { DEMO_REFRESH_TOKEN } from '../src/demo/demoDefaults.ts';
import type { CredentialStore } from '../src/transport/authSession.ts';

const tokens = (): UseStore => createStore('folio-sync-credentials', 'tokens');

/** Signed out: stored as an empty string, so the demo cloud's default does not apply. */
const SIGNED_OUT = '';

export function tokenStore(databaseKey: string, demo: boolean): CredentialStore & { signOut(): Promise<void> } {
  return {
    async getRefreshToken() {
      const stored = await get<string>(databaseKey, tokens());
      if (stored === undefined) return demo ? DEMO_REFRESH_TOKEN : null;
      return stored === SIGNED_OUT ? null : stored;
    },
    setRefreshToken: (token) => set(databaseKey, token, tokens()),
    signOut: () => set(databaseKey, SIGNED_OUT, tokens()),
  };
}
