/**
 * The Sync Status card's state: what the service worker says about syncs (from any tab),
 * what this tab asked for, and the status line of MISSION 6.
 */
import { computed, type ReadonlySignal, signal } from '@preact/signals';
import type { NewAccount, SyncProgress, SyncResult, SyncTrigger } from '../../core/syncEvents.ts';
import type { CloudStatus } from '../../pwa/swProtocol.ts';
import type { AccountView } from '../../storage/views.ts';
import type { WorkerConnection } from '../pwa/workerConnection.ts';

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

export function createSyncModel(
  worker: Worker,
  accounts: ReadonlySignal<AccountView[]>,
  onDataChanged: () => void,
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
      try {
        const result = await worker.send({ type: 'sync', trigger });
        tell(result);
        return result;
      } catch (error) {
        notice.value = error instanceof Error ? error.message : String(error);
        return null;
      } finally {
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
