/**
 * Server mode as the browser sees it (docs/architecture.md, "Server mode"): when the server that
 * serves the app is a Folio Sync server, it syncs and the browser follows. The page learns it
 * from `/api/connect/state`, keeps the answer for offline starts, and keeps an offline copy of the
 * server's data under its own key, apart from any cloud's file of its own.
 */
/** What `GET /api/connect/state` answers (src/server/syncApi.ts). */
export interface ServerState {
  syncing: boolean;
  signedIn: boolean;
  lastSyncedAt: string | null;
  /** When the server's next scheduled sync runs (ISO), or null when none is scheduled. */
  nextRunAt: string | null;
  /** The cloud the server syncs; null for its built-in demo cloud. */
  cloud: { apiUrl: string; authUrl: string } | null;
  /** Names the data's current state: a copy of this version is current. */
  dataVersion: string;
  /** The newest event's id: a new event stream asks for what comes after it. */
  lastEventId: string;
}

export const SERVER_STATE_PATH = '/api/connect/state';
export const SERVER_DATABASE_PATH = '/api/database';
/** The IndexedDB key of the offline copy of the server's database. */
export const SERVER_DATABASE_KEY = 'db:server';
/** Where a browser signs in to a server that has a secret (src/server/serverAuth.ts). */
export const SERVER_SIGNIN_PATH = '/signin';

export function isServerState(value: unknown): value is ServerState {
  if (typeof value !== 'object' || value === null) return false;
  const state = value as Record<string, unknown>;
  return (
    typeof state.syncing === 'boolean' &&
    typeof state.signedIn === 'boolean' &&
    typeof state.dataVersion === 'string' &&
    typeof state.lastEventId === 'string' &&
    (state.nextRunAt === null || typeof state.nextRunAt === 'string')
  );
}
