/**
 * The messages between pages and the service worker, defined once for both ends.
 * Commands go to the worker over a MessageChannel and get exactly one reply; broadcasts go
 * from the worker to every open tab over a BroadcastChannel.
 */

import type { ReviewDecision } from '../core/review.ts';
import type { SyncEvent, SyncResult, SyncTrigger } from '../core/syncEvents.ts';
import type { CloudSettings } from './cloudSettings.ts';

export interface CloudStatus {
  /** Null: the built-in demo cloud. */
  cloud: CloudSettings | null;
  signedIn: boolean;
  syncing: boolean;
  /** The app's build. */
  version: string;
  /** Set in server mode (serverMode.ts): the server syncs, on its schedule. */
  server: { nextRunAt: string | null } | null;
}

export interface CommandMap {
  /** Ask for a sync: `auto` is throttled, `manual` is not; both join a running sync. */
  sync: { request: { trigger: SyncTrigger }; reply: SyncResult };
  /** Save the cloud and its refresh token, then sync. */
  'sign-in': { request: { cloud: CloudSettings; refreshToken: string }; reply: SyncResult };
  /** Forget the refresh token of the current cloud. */
  'sign-out': { request: object; reply: CloudStatus };
  /** Go back to the built-in demo cloud, and sync it. */
  'use-demo': { request: object; reply: SyncResult };
  status: { request: object; reply: CloudStatus };
  /** Decide on a flagged activity: it counts from then on (or is gone), and syncs leave it alone. */
  'review-activity': { request: { id: string; decision: ReviewDecision }; reply: null };
  /** Replace the current cloud's database with an exported file (checked, and migrated if older). */
  'import-database': { request: { bytes: ArrayBuffer }; reply: { activities: number } };
  /**
   * Server mode: bring the offline copy of the server's database up to date, unless it already
   * is of `version`. A new copy is announced with `db:changed` like any save.
   */
  'pull-server-copy': { request: { version: string | null }; reply: { changed: boolean } };
}

export type CommandName = keyof CommandMap;
export type Command = { [K in CommandName]: { type: K } & CommandMap[K]['request'] }[CommandName];
/** A field of the Settings form that an error is about, so the form can show it there. */
export type FormField = 'apiUrl' | 'authUrl' | 'refreshToken';

/** Why a command failed: a sentence for the user, a stable code, and the field it is about. */
export interface CommandFailure {
  message: string;
  /** A CloudError code, `bad-url`, or `internal`. */
  code: string;
  field: FormField | null;
}

export type CommandReply<K extends CommandName> =
  | { ok: true; value: CommandMap[K]['reply'] }
  | { ok: false; failure: CommandFailure };

/** A failed command, on either side of the channel: the worker throws it, the page receives it. */
export class CommandError extends Error {
  override readonly name = 'CommandError';

  constructor(
    message: string,
    readonly code: string,
    readonly field: FormField | null = null,
  ) {
    super(message);
  }
}

export type Broadcast =
  | SyncEvent
  /** The database file was saved as `version`: reload it. */
  | { type: 'db:changed'; payload: { key: string; version: number } }
  /** The cloud or sign-in changed. */
  | { type: 'cloud:changed'; payload: CloudStatus };

export const BROADCAST_CHANNEL = 'folio-sync';

/** Sent by a page (workbox-window's messageSkipWaiting) when the user accepts an update. */
export const SKIP_WAITING = { type: 'SKIP_WAITING' } as const;
