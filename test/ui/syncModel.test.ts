import { signal } from '@preact/signals';
import { describe, expect, it } from 'vitest';
import type { SyncResult } from '../../src/core/syncEvents.ts';
import type { Broadcast, CloudStatus, Command } from '../../src/pwa/swProtocol.ts';
import type { AccountView, SyncHistoryRow } from '../../src/storage/views.ts';
import { createSyncModel, type SyncModelInputs } from '../../src/ui/models/syncModel.ts';
import { accountOutcome } from '../support/syncOutcome.ts';

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
  lastErrorCode: null,
  lastSuccessfulAt: null,
  statusAt: null,
  ...fields,
});

/** A worker that answers `sync` with `answer`, and lets the test broadcast. */
function fakeWorker(answer: () => Promise<SyncResult>, status: Partial<CloudStatus> = {}) {
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
          ...status,
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

/** The model as main.tsx wires it, over signals the test moves. */
function model(worker: SyncModelInputs['worker'], accounts: AccountView[] = [], patch: Partial<SyncModelInputs> = {}) {
  const facts = {
    accounts: signal(accounts),
    lastSync: signal<SyncHistoryRow | null>(null),
    online: signal(true),
  };
  let reloads = 0;
  const sync = createSyncModel({ worker, ...facts, onDataChanged: () => reloads++, ...patch });
  return { sync, ...facts, reloads: () => reloads };
}

const progress = (accountId: string, accountNumber: number, activitiesFetched: number) =>
  ({
    accountId,
    accountName: accountId,
    status: 'RUNNING',
    currentPage: 1,
    activitiesFetched,
    accountNumber,
    accountCount: 3,
  }) as const;

const failedRun = (errorCode: string, message: string): SyncHistoryRow => ({
  id: 7,
  status: 'FAILED',
  startedAt: '2026-11-28T11:00:00.000Z',
  finishedAt: '2026-11-28T11:00:02.000Z',
  message,
  errorCode,
  result: { accounts: [] },
});

describe('sync model', () => {
  it('follows syncs broadcast from any tab: syncing with one overall progress, then the status', () => {
    const worker = fakeWorker(() => Promise.resolve(result()), { signedIn: true });
    const m = model(worker, [account('IDLE'), account('IDLE')]);
    expect(m.sync.status.value).toEqual({ kind: 'ok' });
    worker.broadcast({ type: 'broker:sync-start', payload: { trigger: 'auto' } });
    expect(m.sync.status.value).toEqual({ kind: 'syncing', progress: null });
    worker.broadcast({ type: 'broker:sync-progress', payload: progress('TFSA', 1, 1000) });
    worker.broadcast({ type: 'broker:sync-progress', payload: progress('TFSA', 1, 1020) });
    worker.broadcast({ type: 'broker:sync-progress', payload: progress('RRSP', 2, 500) });
    expect(m.sync.status.value).toEqual({
      kind: 'syncing',
      progress: { accountName: 'RRSP', accountNumber: 2, accountCount: 3, activities: 1520 },
    });
    // A name from the cloud cannot reorder what is shown (src/ui/format/showable.ts).
    worker.broadcast({ type: 'broker:sync-progress', payload: progress('RRSP \u202egnp.exe', 2, 500) });
    expect(m.sync.status.value).toMatchObject({ progress: { accountName: 'RRSP \ufffdgnp.exe' } });
    worker.broadcast({ type: 'db:changed', payload: { key: 'db:demo', version: 3 } });
    expect(m.reloads()).toBe(1);
    const failed = account('FAILED');
    const review = account('NEEDS_REVIEW');
    m.accounts.value = [account('IDLE'), failed, review];
    worker.broadcast({ type: 'broker:sync-complete', payload: result() });
    expect(m.sync.syncing.value).toBe(false);
    expect(m.sync.status.value).toEqual({ kind: 'attention', accounts: [failed, review] });
    // An account the cloud no longer lists, or one excluded from sync, needs nothing.
    m.accounts.value = [
      account('IDLE'),
      account('FAILED', { removedAt: '2026-11-28T12:00:00.000Z' }),
      account('FAILED', { syncEnabled: false }),
    ];
    expect(m.sync.status.value).toEqual({ kind: 'ok' });
  });

  it("offline is not the accounts' problem, and an unreachable cloud is not the user's network", () => {
    const m = model(
      fakeWorker(() => Promise.resolve(result())),
      [account('IDLE')],
    );
    m.lastSync.value = failedRun('network', 'Network unavailable');
    m.online.value = false;
    expect(m.sync.status.value).toEqual({ kind: 'offline' });
    m.online.value = true;
    expect(m.sync.status.value).toEqual({ kind: 'unreachable' });
    m.lastSync.value = failedRun('server-error', 'The cloud failed on your profile (HTTP 500)');
    expect(m.sync.status.value).toEqual({
      kind: 'failed',
      code: 'server-error',
      detail: 'The cloud failed on your profile (HTTP 500)',
      at: m.lastSync.value.finishedAt,
    });
    // A sync that stopped part-way (some accounts synced first) says it stopped.
    m.lastSync.value = { ...failedRun('connection-lost', 'Network unavailable'), status: 'PARTIAL' };
    expect(m.sync.status.value).toMatchObject({ kind: 'failed', code: 'connection-lost' });
    // A sync that failed only for some accounts is theirs: they need attention.
    m.lastSync.value = { ...failedRun('server-error', 'x'), errorCode: null };
    m.accounts.value = [account('FAILED')];
    expect(m.sync.status.value.kind).toBe('attention');
  });

  it("a tab opened mid-sync says so, from the worker's status", async () => {
    const m = model(
      fakeWorker(() => Promise.resolve(result()), { signedIn: true, syncing: true }),
      [account('IDLE')],
    );
    await m.sync.refreshStatus();
    expect(m.sync.status.value).toEqual({ kind: 'syncing', progress: null });
  });

  it('announces new accounts found beside known ones, not those of a first sync', () => {
    const worker = fakeWorker(() => Promise.resolve(result()));
    const { sync } = model(worker);
    const found = (id: string) => ({ id, name: id, institutionName: null });
    // A first sync: every account is new, and the account list shows them all.
    worker.broadcast({
      type: 'broker:sync-complete',
      payload: result({ newAccounts: [found('a'), found('b')], accounts: [accountOutcome('a'), accountOutcome('b')] }),
    });
    expect(sync.newAccounts.value).toEqual([]);
    // Later, one new beside the known ones.
    worker.broadcast({
      type: 'broker:sync-complete',
      payload: result({
        newAccounts: [found('c')],
        accounts: [accountOutcome('a'), accountOutcome('b'), accountOutcome('c')],
      }),
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
    const { sync } = model(worker, [account('IDLE')], { ticker });
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

  it('asks again when the worker turned a trigger down as offline while this page is online', async () => {
    let workerOnline = false;
    const worker = fakeWorker(() =>
      Promise.resolve(workerOnline ? result() : result({ skipped: 'offline', message: 'Offline' })),
    );
    const m = model(worker);
    const asked = m.sync.request('auto');
    // The worker's navigator catches up a moment after the page's "online" event.
    workerOnline = true;
    await expect(asked).resolves.toMatchObject({ skipped: null });
    expect(worker.sent.filter((command) => command.type === 'sync')).toHaveLength(2);

    // Offline here too: once is enough.
    workerOnline = false;
    m.online.value = false;
    await expect(m.sync.request('auto')).resolves.toMatchObject({ skipped: 'offline' });
    expect(worker.sent.filter((command) => command.type === 'sync')).toHaveLength(3);
  });

  it('says "Not connected" when signed out, without an error', async () => {
    const { sync } = model(
      fakeWorker(() => Promise.resolve(result())),
      [account('IDLE')],
    );
    await sync.refreshStatus();
    expect(sync.status.value).toEqual({ kind: 'signed-out' });
    expect(sync.notice.value).toBeNull();
  });

  it('Sync Now is syncing until the answer; a command the worker refused is said as a notice', async () => {
    let finish: (value: SyncResult) => void = () => undefined;
    const worker = fakeWorker(() => new Promise((resolve) => (finish = resolve)));
    const { sync } = model(worker);
    const request = sync.request('manual');
    expect(sync.syncing.value).toBe(true);
    finish(result({ success: false, message: 'Network unavailable' }));
    await request;
    expect(sync.syncing.value).toBe(false);
    // The failure itself is the database's (the last sync run), shown from there in every tab.
    expect(sync.notice.value).toBeNull();
    expect(worker.sent).toEqual([{ type: 'sync', trigger: 'manual' }]);

    // A save that failed cannot be in the database: it is said from the sync's error event.
    worker.broadcast({
      type: 'broker:sync-error',
      payload: { error: 'The synced data could not be saved: quota', code: 'save-failed' },
    });
    expect(sync.notice.value).toBe('The synced data could not be saved: quota');

    const refusing = model(fakeWorker(() => Promise.reject(new Error('The background worker is not running'))));
    await refusing.sync.request('manual');
    expect(refusing.sync.notice.value).toBe('The background worker is not running');
  });
});
