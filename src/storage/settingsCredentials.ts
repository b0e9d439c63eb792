import type { CredentialStore } from '../transport/authSession.ts';
import { getSetting, setSetting } from './settings.ts';
import type { SqlDatabase } from './sqlDatabase.ts';

/**
 * The refresh token kept in the database's settings. A rotated token is persisted at once,
 * not at the end of the sync: the old one may already be dead, and losing the new one
 * would sign the user out.
 */
export function settingsCredentials(db: SqlDatabase): CredentialStore {
  return {
    getRefreshToken: () => Promise.resolve(getSetting(db, 'cloud.refreshToken')),
    async setRefreshToken(token) {
      setSetting(db, 'cloud.refreshToken', token);
      await db.persist();
    },
    // A token the auth server refused is dead: kept, it would say "signed in" to a user who is not.
    async refused(token) {
      if (getSetting(db, 'cloud.refreshToken') !== token) return;
      setSetting(db, 'cloud.refreshToken', null);
      await db.persist();
    },
  };
}
