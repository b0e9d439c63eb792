/**
 * The page's copy of the data, as a tab holds it: the replica worker's host and the page's
 * models, over a real MessageChannel, with real sql.js and the browser's file store on
 * fake-indexeddb. The worker itself (its script, the wasm) is run in Chromium by the e2e tests.
 */
import 'fake-indexeddb/auto';
import initSqlJs from 'sql.js';
import { afterEach, describe, expect, it } from 'vitest';
import { idbWriter } from '../../src/storage/sqljs/byteStore.ts';
import { openSqlJsDatabase } from '../../src/storage/sqljs/sqlJsDatabase.ts';
import { createActivitiesModel } from '../../src/ui/models/activitiesModel.ts';
import { createDataModel } from '../../src/ui/models/dataModel.ts';
import { connectReplica } from '../../src/ui/replica/replicaClient.ts';
import { createReplicaHost, serveReplica } from '../../src/ui/replica/replicaHost.ts';
import type { ReplicaPort } from '../../src/ui/replica/replicaProtocol.ts';
import { useDemoCloud } from '../support/demoCloudMock.ts';
import { fakeTime } from '../support/fakeTime.ts';
import { createHarness } from '../support/syncHarness.ts';

const sqlJs = initSqlJs();
const channels: MessageChannel[] = [];
afterEach(() => {
  for (const channel of channels.splice(0)) {
    channel.port1.close();
    channel.port2.close();
  }
});

/** A tab: its replica host behind one end of a channel, and its models on the other. */
function openTab(key: string, keyRead: () => Promise<void> = () => Promise.resolve()) {
  const channel = new MessageChannel();
  channels.push(channel);
  let sqlJsLoads = 0;
  serveReplica(
    channel.port1 as unknown as ReplicaPort,
    createReplicaHost({
      sqlJs: () => {
        sqlJsLoads++;
        return sqlJs;
      },
    }),
  );
  const replica = connectReplica(Promise.resolve(channel.port2 as unknown as ReplicaPort));
  const data = createDataModel(replica, () => keyRead().then(() => key));
  const activities = createActivitiesModel(replica, data);
  return { data, activities, sqlJsLoads: () => sqlJsLoads };
}

const time = fakeTime();
useDemoCloud(time, 'small');

/** Syncs the demo cloud into the file at `key`, as the service worker would. */
async function syncInto(key: string) {
  const harness = await createHarness(time, { store: idbWriter(key) });
  await harness.sync();
  await harness.db.persist();
  return harness;
}

describe("a tab's copy of the data", () => {
  it('with nothing saved yet, loads no wasm and says the list is empty, not loading', async () => {
    const tab = openTab('db:nothing');
    await tab.data.reload();
    expect(tab.data.version.value).toBe(1);
    expect(tab.data.accounts.value).toEqual([]);
    await expect.poll(() => tab.activities.settled.value).toBe(true);
    expect(tab.activities.total.value).toBe(0);
    expect(tab.sqlJsLoads()).toBe(0);
  });

  it('shows what a sync saved, and a window of the activities that follows the scroll', async () => {
    const harness = await syncInto('db:synced');
    const stored = Number(harness.scalar('SELECT COUNT(*) FROM activities'));
    const tab = openTab('db:synced');
    await tab.data.reload();
    expect(tab.data.accounts.value.map((account) => account.name).sort()).toEqual(
      harness.db.all<{ name: string }>('SELECT name FROM accounts ORDER BY name').map((row) => row.name),
    );
    expect(tab.data.lastSync.value?.status).toBeDefined();
    // The list's window came with the load: shown with the other views, not a moment after.
    expect(tab.activities.total.value).toBe(stored);
    expect(tab.activities.settled.value).toBe(true);
    expect(tab.activities.first.value).toBe(0);
    // 800 px of 40 px rows, and 10 more on each side: 40 rows.
    expect(tab.activities.rows.value).toHaveLength(Math.min(stored, 40));

    tab.activities.setViewport({ top: 40 * 100, height: 800, rowHeight: 40 });
    await expect.poll(() => tab.activities.first.value).toBe(90);
    expect(tab.activities.rows.value).toHaveLength(40);
    tab.activities.type.value = 'DIVIDEND';
    await expect.poll(() => tab.activities.rows.value.every((row) => row.type === 'DIVIDEND')).toBe(true);
    expect(tab.activities.total.value).toBe(
      Number(harness.scalar("SELECT COUNT(*) FROM activities WHERE activity_type = 'DIVIDEND'")),
    );
  });

  it('a filter chosen while a load reads which file to open is what the load answers for', async () => {
    await syncInto('db:filtered');
    let readKey: () => void = () => undefined;
    const tab = openTab('db:filtered', () => new Promise((resolve) => (readKey = resolve)));
    const loading = tab.data.reload();
    tab.activities.type.value = 'DIVIDEND';
    readKey();
    await loading;
    await expect.poll(() => tab.activities.settled.value).toBe(true);
    expect(tab.activities.rows.value.length).toBeGreaterThan(0);
    expect(tab.activities.rows.value.every((row) => row.type === 'DIVIDEND')).toBe(true);
  });

  it('follows a new save, and a second load that overlaps the first wins', async () => {
    const harness = await syncInto('db:follow');
    const tab = openTab('db:follow');
    await tab.data.reload();
    const before = tab.data.syncHistory.value.length;
    await harness.sync();
    await harness.db.persist();
    await Promise.all([tab.data.reload(), tab.data.reload()]);
    expect(tab.data.version.value).toBe(2);
    expect(tab.data.syncHistory.value.length).toBe(before + 1);
  });

  it('answers every request, even one whose rows could not be sent', async () => {
    const sent: unknown[] = [];
    let listener: (event: MessageEvent) => void = () => undefined;
    const port = {
      postMessage(message: { ok: boolean }) {
        if (message.ok) throw new DOMException('could not be cloned', 'DataCloneError');
        sent.push(message);
      },
      addEventListener(_type: string, added: (event: MessageEvent) => void) {
        listener = added;
      },
    };
    serveReplica(port as unknown as ReplicaPort, createReplicaHost({ sqlJs: () => sqlJs }));
    listener({ data: { id: 7, request: { kind: 'load', key: 'db:unsendable' } } } as MessageEvent);
    await expect.poll(() => sent).toEqual([{ id: 7, ok: false, error: 'could not be cloned' }]);
  });

  it('keeps what it shows when a newer file cannot be read, and says why', async () => {
    await syncInto('db:newer');
    const tab = openTab('db:newer');
    await tab.data.reload();
    const accounts = tab.data.accounts.value;
    // A file from a later Folio Sync: a schema version this one does not know.
    const writer = idbWriter('db:newer');
    const db = await openSqlJsDatabase(await sqlJs, writer);
    db.exec('PRAGMA user_version = 999');
    await db.persist();
    await tab.data.reload();
    expect(tab.data.loadError.value).toMatch(/newer|later|version/i);
    expect(tab.data.accounts.value).toBe(accounts);
    expect(tab.data.version.value).toBe(1);
  });
});
