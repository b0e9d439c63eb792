/**
 * The Sync Status card's state: what the service worker says about syncs (from any tab),
 * what this tab asked for, and the status line of MISSION 6.
 */
import { computed, type ReadonlySignal, signal } from '@preact/signals';
import type { NewAccount, SyncProgress, SyncResult, SyncTrigger } from '../../core/syncEvents.ts';
import type { CloudStatus } from '../../pwa/swProtocol.ts';
import type { AccountView } from '../../storage/views.ts';
import type { WorkerConnection } from '../pwa/workerConnection.ts';
import type { Ticker } from './nowModel.ts';

export interface SyncModel {
  syncing: ReadonlySignal<boolean>;
  progress: ReadonlySignal<SyncProgress | null>;
  /** The last thing worth telling about a sync: a failure's reason, or a skip's. */
  notice: ReadonlySignal<string | null>;
  cloud: ReadonlySignal<CloudStatus | null>;
  /** Accounts the last sync found for the first time, until dismissed. */
  newAccounts: ReadonlySignal<NewAccount[]>;
  dismissNewAccounts(): void;
  /** "Syncing…", "Not connected", "N accounts need attention", "All accounts synced". */
  statusLine: ReadonlySignal<string>;
  request(trigger: SyncTrigger): Promise<SyncResult | null>;
  refreshStatus(): Promise<void>;
}

type Worker = Pick<WorkerConnection, 'send' | 'onBroadcast'>;

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
const STOPPED =
  "The sync stopped before it finished (the app's background worker was stopped); the next sync fetches what it missed";

export function createSyncModel(
  worker: Worker,
  accounts: ReadonlySignal<AccountView[]>,
  onDataChanged: () => void,
  ticker: Ticker = {
    setInterval: (run, ms) => setInterval(run, ms),
    clearInterval: (handle) => clearInterval(handle as number),
  },
): SyncModel {
  const syncing = signal(false);
  const progress = signal<SyncProgress | null>(null);
  const notice = signal<string | null>(null);
  const cloud = signal<CloudStatus | null>(null);
  const newAccounts = signal<NewAccount[]>([]);

  const tell = (result: SyncResult) => {
    // Nothing to tell: not due, offline, or another copy of the database took over (it syncs itself).
    if (result.skipped === 'not-due' || result.skipped === 'offline' || result.skipped === 'busy') return;
    notice.value = result.success && !result.skipped ? null : result.message;
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
        syncing.value = false;
        progress.value = null;
        notice.value = STOPPED;
        for (const stop of waiting) stop();
      },
      () => undefined,
    );
  }, RUNNING_CHECK_MS);

  worker.onBroadcast((message) => {
    switch (message.type) {
      case 'broker:sync-start':
        syncing.value = true;
        progress.value = null;
        break;
      case 'broker:sync-progress':
        syncing.value = true;
        progress.value = message.payload;
        break;
      case 'broker:sync-complete':
        syncing.value = false;
        progress.value = null;
        tell(message.payload);
        if (announcesNewAccounts(message.payload)) newAccounts.value = message.payload.newAccounts;
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

  const statusLine = computed(() => {
    if (syncing.value) return 'Syncing…';
    if (cloud.value && !cloud.value.signedIn) return 'Not connected';
    // Only accounts still synced can need attention: not those excluded, nor those the cloud no longer lists.
    const attention = accounts.value.filter(
      (account) =>
        account.syncEnabled &&
        account.removedAt === null &&
        (account.syncStatus === 'FAILED' || account.syncStatus === 'NEEDS_REVIEW'),
    ).length;
    if (attention > 0) return `${attention} account${attention === 1 ? ' needs' : 's need'} attention`;
    if (accounts.value.some((account) => account.syncStatus !== null)) return 'All accounts synced';
    return 'Not synced yet';
  });

  return {
    syncing,
    progress,
    notice,
    cloud,
    newAccounts,
    dismissNewAccounts() {
      newAccounts.value = [];
    },
    statusLine,
    async request(trigger) {
      if (trigger === 'manual') syncing.value = true;
      let stop: () => void = () => undefined;
      try {
        const stopped = new Promise<null>((resolve) => {
          stop = () => resolve(null);
          waiting.add(stop);
        });
        const result = await Promise.race([worker.send({ type: 'sync', trigger }), stopped]);
        if (result) tell(result);
        return result;
      } catch (error) {
        notice.value = error instanceof Error ? error.message : String(error);
        return null;
      } finally {
        waiting.delete(stop);
        if (trigger === 'manual') syncing.value = false;
      }
    },
    async refreshStatus() {
      try {
        cloud.value = await worker.send({ type: 'status' });
      } catch (error) {
        notice.value = error instanceof Error ? error.message : String(error);
      }
    },
  };
}
