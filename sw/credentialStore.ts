/**
 * The refresh token of the current cloud, in an IndexedDB store that only the service worker's
 * code reads: never in localStorage, never in a URL, never in the database file a user can export.
 * IndexedDB is per origin, though, so script running in one of the app's pages could read it too:
 * what keeps such script out is the strict Content-Security-Policy (only the app's own scripts
 * run). So only the current cloud's token is kept; switching clouds forgets the others.
 * The demo cloud is signed in with its public token until the user signs out of it.
 */
import { createStore, del, get, keys, set, type UseStore } from 'idb-keyval';
import { DEMO_REFRESH_TOKEN } from '../src/demo/demoDefaults.ts';
import type { CredentialStore } from '../src/transport/authSession.ts';

const tokens = (): UseStore => createStore('folio-sync-credentials', 'tokens');

/** Signed out: stored as an empty string, so the demo cloud's default does not apply. */
const SIGNED_OUT = '';

/** Forgets every cloud's token but `databaseKey`'s: the current cloud's is the only one kept. */
export async function forgetOtherTokens(databaseKey: string): Promise<void> {
  const store = tokens();
  for (const key of await keys(store)) if (key !== databaseKey) await del(key, store);
}

export function tokenStore(
  databaseKey: string,
  demo: boolean,
): CredentialStore & { signOut(): Promise<void>; forget(): Promise<void> } {
  const current = async () => {
    const stored = await get<string>(databaseKey, tokens());
    if (stored === undefined) return demo ? DEMO_REFRESH_TOKEN : null;
    return stored === SIGNED_OUT ? null : stored;
  };
  return {
    getRefreshToken: current,
    setRefreshToken: (token) => set(databaseKey, token, tokens()),
    // A token the auth server refused is dead: keeping it would say "signed in" to a user who is not.
    async refused(token) {
      if ((await current()) === token) await set(databaseKey, SIGNED_OUT, tokens());
    },
    signOut: () => set(databaseKey, SIGNED_OUT, tokens()),
    /** Back to the default: the demo's public token, or none. */
    forget: () => del(databaseKey, tokens()),
  };
}
