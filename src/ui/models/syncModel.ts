/**
 * The sync state of this tab: what the service worker (or the server) says about syncs, from any
 * tab, and what this tab asked for. It owns "syncing" (the worker's word, from its broadcasts and
 * its status replies) and derives the one status every page shows (syncStatus.ts).
 */

import { computed, type ReadonlySignal, signal } from '@preact/signals';
import type { NewAccount, SyncResult, SyncTrigger } from '../../core/syncEvents.ts';
import type { CloudStatus } from '../../pwa/swProtocol.ts';
import type { AccountView, SyncHistoryRow } from '../../storage/views.ts';
import { showable, showableError, showableView } from '../format/showable.ts';
import type { WorkerConnection } from '../pwa/workerConnection.ts';
import type { Ticker } from './nowModel.ts';
import { deriveStatus, type OverallProgress, type SyncStatus } from './syncStatus.ts';

export interface SyncModel {
  /** Whether a sync runs, as the worker last said (or this tab just asked for one). */
  syncing: ReadonlySignal<boolean>;
  status: ReadonlySignal<SyncStatus>;
  /** What this tab could not do (a command the worker refused, a sync the worker dropped). */
  notice: ReadonlySignal<string | null>;
  cloud: ReadonlySignal<CloudStatus | null>;
  /** Accounts the last sync found for the first time, until dismissed. */
  newAccounts: ReadonlySignal<NewAccount[]>;
  dismissNewAccounts(): void;
  request(trigger: SyncTrigger): Promise<SyncResult | null>;
  refreshStatus(): Promise<void>;
}

export interface SyncModelInputs {
  worker: Pick<WorkerConnection, 'send' | 'onBroadcast'>;
  accounts: ReadonlySignal<AccountView[]>;
  /** The newest finished sync the database recorded. */
  lastSync: ReadonlySignal<SyncHistoryRow | null>;
  online: ReadonlySignal<boolean>;
  onDataChanged: () => void;
  ticker?: Ticker;
}
/**
 * New accounts are news beside known ones. When every account the sync went through is new (a
 * first sync), the account list showing them says it all, and a banner naming them would only
 * push the page down.
 */
const announcesNewAccounts = (result: SyncResult): boolean =>
  result.newAccounts.length > 0 &&
  result.accounts.some((account) => !result.newAccounts.some((found) => found.id === account.accountId));

/** How often a sync this tab believes running is checked on (a stopped worker never says it ended). */
const RUNNING_CHECK_MS = 10_000;
/** How long the worker may lag behind the page in learning that the network is back. */
const ONLINE_LAG_MS = 1000;
const STOPPED =
  "The sync stopped before it finished (the app's background worker was stopped); the next sync fetches what it missed";

export function createSyncModel({
  worker,
  accounts,
  lastSync,
  online,
  onDataChanged,
  ticker = {
    setInterval: (run, ms) => setInterval(run, ms),
    clearInterval: (handle) => clearInterval(handle as number),
  },
}: SyncModelInputs): SyncModel {
  const syncing = signal(false);
  const notice = signal<string | null>(null);
  const cloud = signal<CloudStatus | null>(null);
  const newAccounts = signal<NewAccount[]>([]);
  /** Activities fetched so far in the running sync, by account, and where it is now. */
  let fetched = new Map<string, number>();
  const progress = signal<OverallProgress | null>(null);

  const ended = () => {
    syncing.value = false;
    progress.value = null;
    fetched = new Map();
  };

  // The browser may stop the service worker in the middle of a sync (or it may crash): no
  // completion is broadcast then, and a command's reply never comes. While a sync seems to run,
  // the worker is asked for its status; twice "not syncing" ends the wait in every tab.
  /** Ends the waits of this tab's requests whose sync the worker no longer runs. */
  const waiting = new Set<() => void>();
  let idleChecks = 0;
  ticker.setInterval(() => {
    if (!syncing.peek()) {
      idleChecks = 0;
      return;
    }
    worker.send({ type: 'status' }).then(
      (status) => {
        idleChecks = status.syncing ? 0 : idleChecks + 1;
        if (idleChecks < 2 || !syncing.peek()) return;
        idleChecks = 0;
        ended();
        notice.value = STOPPED;
        for (const stop of waiting) stop();
      },
      () => undefined,
    );
  }, RUNNING_CHECK_MS);

  worker.onBroadcast((message) => {
    switch (message.type) {
      case 'broker:sync-start':
        fetched = new Map();
        progress.value = null;
        syncing.value = true;
        notice.value = null;
        break;
      case 'broker:sync-progress': {
        const { accountId, accountName, accountNumber, accountCount, activitiesFetched } = message.payload;
        fetched.set(accountId, activitiesFetched);
        const activities = [...fetched.values()].reduce((sum, n) => sum + n, 0);
        progress.value = { accountName: showable(accountName), accountNumber, accountCount, activities };
        syncing.value = true;
        break;
      }
      case 'broker:sync-error':
        // A save that failed is the one failure the database cannot record: it is said here.
        if (message.payload.code === 'save-failed') notice.value = showable(message.payload.error);
        break;
      case 'broker:sync-complete':
        ended();
        if (announcesNewAccounts(message.payload)) newAccounts.value = showableView(message.payload.newAccounts);
        break;
      case 'db:changed':
        onDataChanged();
        break;
      case 'cloud:changed':
        cloud.value = message.payload;
        onDataChanged();
        break;
    }
  });

  const status = computed(() =>
    deriveStatus({
      syncing: syncing.value,
      progress: progress.value,
      signedIn: cloud.value?.signedIn ?? null,
      online: online.value,
      lastSync: lastSync.value,
      accounts: accounts.value,
    }),
  );

  return {
    syncing,
    status,
    notice,
    cloud,
    newAccounts,
    dismissNewAccounts() {
      newAccounts.value = [];
    },
    async request(trigger) {
      if (trigger === 'manual') syncing.value = true;
      let stop: () => void = () => undefined;
      try {
        const stopped = new Promise<null>((resolve) => {
          stop = () => resolve(null);
          waiting.add(stop);
        });
        // What the sync did is in the database (its run, the accounts) and reaches every tab from there.
        const result = await Promise.race([worker.send({ type: 'sync', trigger }), stopped]);
        // The page hears "online" a moment before the worker's navigator says so: a trigger it
        // turned down as offline while this page is online is asked once more, a second later.
        if (result?.skipped === 'offline' && online.peek()) {
          await new Promise((resolve) => setTimeout(resolve, ONLINE_LAG_MS));
          return await Promise.race([worker.send({ type: 'sync', trigger }), stopped]);
        }
        return result;
      } catch (error) {
        notice.value = showableError(error);
        return null;
      } finally {
        waiting.delete(stop);
        if (trigger === 'manual') ended();
      }
    },
    async refreshStatus() {
      try {
        const now = await worker.send({ type: 'status' });
        cloud.value = now;
        // A tab opened mid-sync hears no start: the worker's word sets it.
        syncing.value = now.syncing;
      } catch (error) {
        notice.value = showableError(error);
      }
    },
  };
}
