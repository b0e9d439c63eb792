import { signal } from '@preact/signals';
import { describe, expect, it } from 'vitest';
import type { SyncResult } from '../../src/core/syncEvents.ts';
import type { Broadcast, CloudStatus, Command } from '../../src/pwa/swProtocol.ts';
import type { AccountView } from '../../src/storage/views.ts';
import { createSyncModel } from '../../src/ui/models/syncModel.ts';

const result = (patch: Partial<SyncResult> = {}): SyncResult => ({
  success: true,
  message: 'Synced 2 accounts: 0 new, 0 updated activities',
  skipped: null,
  connectionsSynced: 1,
  accountsSynced: 2,
  activitiesSynced: { accountsSynced: 2, activitiesUpserted: 0, accountsFailed: 0, accountsWarned: 0 },
  newAccounts: [],
  accounts: [],
  ...patch,
});

const account = (syncStatus: AccountView['syncStatus'], fields: Partial<AccountView> = {}): AccountView => ({
  id: `a-${Math.random()}`,
  name: 'TFSA',
  institution: 'Questrade',
  platform: 'Questrade',
  currency: 'CAD',
  balance: '1',
  balanceCurrency: 'CAD',
  syncEnabled: true,
  removedAt: null,
  syncStatus,
  lastError: null,
  lastSuccessfulAt: null,
  ...fields,
});

/** A worker that answers `sync` with `answer`, and lets the test broadcast. */
function fakeWorker(answer: () => Promise<SyncResult>) {
  const listeners: ((message: Broadcast) => void)[] = [];
  const sent: Command[] = [];
  return {
    sent,
    broadcast: (message: Broadcast) => {
      for (const listener of listeners) listener(message);
    },
    send: ((command: Command) => {
      sent.push(command);
      if (command.type === 'status') {
        return Promise.resolve({
          cloud: null,
          signedIn: false,
          syncing: false,
          version: 'test',
          server: null,
        } satisfies CloudStatus);
      }
      return answer();
    }) as never,
    onBroadcast: (listener: (message: Broadcast) => void) => {
      listeners.push(listener);
      return () => undefined;
    },
  };
}

describe('sync model', () => {
  it('follows syncs broadcast from any tab: "Syncing…" with progress, then the status line', () => {
    const accounts = signal([account('IDLE'), account('IDLE')]);
    const worker = fakeWorker(() => Promise.resolve(result()));
    let reloads = 0;
    const sync = createSyncModel(worker, accounts, () => reloads++);
    expect(sync.statusLine.value).toBe('All accounts synced');
    worker.broadcast({ type: 'broker:sync-start', payload: { trigger: 'auto' } });
    expect(sync.statusLine.value).toBe('Syncing…');
    const progress = {
      accountId: 'a',
      accountName: 'TFSA',
      status: 'RUNNING',
      currentPage: 2,
      activitiesFetched: 2000,
    } as const;
    worker.broadcast({ type: 'broker:sync-progress', payload: progress });
    expect(sync.progress.value).toEqual(progress);
    worker.broadcast({ type: 'db:changed', payload: { key: 'db:demo', version: 3 } });
    expect(reloads).toBe(1);
    accounts.value = [account('IDLE'), account('FAILED'), account('NEEDS_REVIEW')];
    worker.broadcast({ type: 'broker:sync-complete', payload: result() });
    expect(sync.syncing.value).toBe(false);
    expect(sync.statusLine.value).toBe('2 accounts need attention');
    // An account the cloud no longer lists, or one excluded from sync, needs nothing.
    accounts.value = [
      account('IDLE'),
      account('FAILED', { removedAt: '2026-11-28T12:00:00.000Z' }),
      account('FAILED', { syncEnabled: false }),
    ];
    expect(sync.statusLine.value).toBe('All accounts synced');
  });

  it('announces new accounts found beside known ones, not those of a first sync', () => {
    const worker = fakeWorker(() => Promise.resolve(result()));
    const sync = createSyncModel(worker, signal([]), () => undefined);
    const outcome = (accountId: string) => ({
      accountId,
      accountName: accountId,
      status: 'IDLE' as const,
      error: null,
      errorCode: null,
      fetched: 0,
      inserted: 0,
      updated: 0,
      warnings: 0,
    });
    const found = (id: string) => ({ id, name: id, institutionName: null });
    // A first sync: every account is new, and the account list shows them all.
    worker.broadcast({
      type: 'broker:sync-complete',
      payload: result({ newAccounts: [found('a'), found('b')], accounts: [outcome('a'), outcome('b')] }),
    });
    expect(sync.newAccounts.value).toEqual([]);
    // Later, one new beside the known ones.
    worker.broadcast({
      type: 'broker:sync-complete',
      payload: result({ newAccounts: [found('c')], accounts: [outcome('a'), outcome('b'), outcome('c')] }),
    });
    expect(sync.newAccounts.value).toEqual([found('c')]);
  });

  it('ends the wait in every tab when the worker stopped mid-sync and will never say so', async () => {
    const ticks: (() => void)[] = [];
    const ticker = { setInterval: (run: () => void) => ticks.push(run), clearInterval: () => undefined };
    const tick = async () => {
      for (const run of ticks) run();
      await new Promise((resolve) => setTimeout(resolve, 0));
    };
    let running = true;
    const listeners: ((message: Broadcast) => void)[] = [];
    const worker = {
      send: ((command: Command) =>
        command.type === 'status'
          ? Promise.resolve({ cloud: null, signedIn: true, syncing: running, version: 'test', server: null })
          : new Promise(() => undefined)) as never,
      onBroadcast: (listener: (message: Broadcast) => void) => {
        listeners.push(listener);
        return () => undefined;
      },
    };
    const sync = createSyncModel(worker, signal([account('IDLE')]), () => undefined, ticker);
    const request = sync.request('manual');
    for (const listener of listeners) listener({ type: 'broker:sync-start', payload: { trigger: 'manual' } });
    await tick();
    await tick();
    // Still running, as the worker says: nothing changes.
    expect(sync.syncing.value).toBe(true);
    // The worker was stopped: a new one runs no sync. Twice not syncing, and the tab stops waiting.
    running = false;
    await tick();
    expect(sync.syncing.value).toBe(true);
    await tick();
    expect(sync.syncing.value).toBe(false);
    expect(sync.notice.value).toMatch(/stopped before it finished/);
    await expect(request).resolves.toBeNull();
  });

  it('says "Not connected" when signed out, without an error', async () => {
    const sync = createSyncModel(
      fakeWorker(() => Promise.resolve(result())),
      signal([account('IDLE')]),
      () => undefined,
    );
    await sync.refreshStatus();
    expect(sync.statusLine.value).toBe('Not connected');
    expect(sync.notice.value).toBeNull();
  });

  it('Sync Now shows "Syncing…" until the answer, then the failure in words', async () => {
    let finish: (value: SyncResult) => void = () => undefined;
    const worker = fakeWorker(() => new Promise((resolve) => (finish = resolve)));
    const sync = createSyncModel(worker, signal([]), () => undefined);
    const request = sync.request('manual');
    expect(sync.syncing.value).toBe(true);
    finish(result({ success: false, message: 'Network unavailable' }));
    await request;
    expect(sync.syncing.value).toBe(false);
    expect(sync.notice.value).toBe('Network unavailable');
    expect(worker.sent).toEqual([{ type: 'sync', trigger: 'manual' }]);
  });

  it('stays quiet about an automatic sync that was not due', async () => {
    const sync = createSyncModel(
      fakeWorker(() => Promise.resolve(result({ skipped: 'not-due', message: 'Synced less than an hour ago' }))),
      signal([]),
      () => undefined,
    );
    await sync.request('auto');
    expect(sync.notice.value).toBeNull();
  });
});
