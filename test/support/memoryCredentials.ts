/** A refresh token kept in memory, apart from any database, as the service worker keeps it apart (sw/credentialStore.ts). */
import { DEMO_REFRESH_TOKEN } from '../../src/demo/demoDefaults.ts';
import type { CredentialStore } from '../../src/transport/authSession.ts';

export function memoryCredentials(initial: string | null = DEMO_REFRESH_TOKEN): CredentialStore {
  let token = initial;
  return {
    getRefreshToken: () => Promise.resolve(token),
    setRefreshToken: (next) => {
      token = next;
      return Promise.resolve();
    },
  };
}
