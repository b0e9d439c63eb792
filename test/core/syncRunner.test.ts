import { beforeEach, describe, expect, it } from 'vitest';
import { createSyncRunner } from '../../src/core/syncRunner.ts';
import { listSyncRuns } from '../../src/storage/views.ts';
import { useDemoCloud } from '../support/demoCloudMock.ts';
import { fakeTime } from '../support/fakeTime.ts';
import { createHarness, type Harness } from '../support/syncHarness.ts';

const time = fakeTime();
// Throttling and triggers only: a few weeks of history sync as well as two years, and faster.
const demo = useDemoCloud(time, 'small');
const MINUTE = 60_000;

let h: Harness;
let runner: ReturnType<typeof createSyncRunner>;
const syncs = () => h.payloads('broker:sync-start').length;

beforeEach(async () => {
  time.set('2026-11-28T12:00:00.000Z');
  h = await createHarness(time);
  runner = createSyncRunner({ db: h.db, clock: time.clock, sync: (trigger) => h.sync(trigger) });
});

describe('sync runner', () => {
  it('syncs automatically on first use (never synced)', async () => {
    expect((await runner.request('auto')).skipped).toBeNull();
    expect(syncs()).toBe(1);
  });

  it('skips automatic syncs within the hour without asking the cloud', async () => {
    await runner.request('auto');
    demo.requests.length = 0;
    time.advance(59 * MINUTE + 59_000);
    const result = await runner.request('auto');
    expect(result).toMatchObject({ success: true, skipped: 'not-due' });
    expect(result.message).toContain('next automatic sync from 2026-11-28T13:00:00.000Z');
    expect(demo.requests).toEqual([]);
    expect(syncs()).toBe(1);
    time.advance(1000);
    await runner.request('auto');
    expect(syncs()).toBe(2);
  });

  it('lets a manual sync through inside the hour', async () => {
    await runner.request('auto');
    time.advance(5 * MINUTE);
    expect((await runner.request('manual')).skipped).toBeNull();
    expect(syncs()).toBe(2);
  });

  it('joins triggers that arrive while a sync runs, manual ones included', async () => {
    const first = runner.request('auto');
    const second = runner.request('auto');
    const manual = runner.request('manual');
    expect(runner.isRunning()).toBe(true);
    const results = await Promise.all([first, second, manual]);
    expect(results[1]).toBe(results[0]);
    expect(results[2]).toBe(results[0]);
    expect(syncs()).toBe(1);
    expect(runner.isRunning()).toBe(false);
  });

  it('after failures, waits 1 min, then 2 min, then 4 min before the next automatic attempt; manual is never held back', async () => {
    demo.setScenario({ serverErrors: 1000 });
    await runner.request('auto'); // starts 12:00:00
    time.set('2026-11-28T12:00:59.000Z');
    expect((await runner.request('auto')).skipped).toBe('not-due');
    time.set('2026-11-28T12:01:00.000Z');
    expect((await runner.request('auto')).skipped).toBeNull(); // second failure
    expect(syncs()).toBe(2);
    time.set('2026-11-28T12:02:59.000Z');
    expect((await runner.request('auto')).message).toContain('Waiting after a failed sync');
    expect((await runner.request('manual')).skipped).toBeNull(); // third failure, started 12:02:59
    expect(syncs()).toBe(3);
    time.set('2026-11-28T12:06:58.000Z');
    expect((await runner.request('auto')).skipped).toBe('not-due');
    time.set('2026-11-28T12:06:59.000Z');
    demo.setScenario({});
    expect((await runner.request('auto')).success).toBe(true);
    expect(syncs()).toBe(4);
  });

  it('retries at the next trigger after a failure that never reached the cloud (offline), even within the hour', async () => {
    await runner.request('auto');
    time.advance(5 * MINUTE);
    demo.setScenario({ networkDown: true });
    expect((await runner.request('manual')).message).toBe('Network unavailable');
    demo.setScenario({});
    time.advance(1000);
    expect((await runner.request('auto')).success).toBe(true);
    expect(syncs()).toBe(3);
    time.advance(1000);
    expect((await runner.request('auto')).skipped).toBe('not-due');
  });

  it('retries a failed account within the hour once the cooldown has passed', async () => {
    const rrsp = demo.dataset().accounts[1]?.plan.id ?? '';
    demo.setScenario({ failingAccount: { accountId: rrsp, status: 500 } });
    expect((await runner.request('auto')).success).toBe(false); // started 12:00:00
    time.set('2026-11-28T12:00:59.000Z');
    expect((await runner.request('auto')).skipped).toBe('not-due');
    demo.setScenario({});
    time.set('2026-11-28T12:01:00.000Z');
    expect((await runner.request('auto')).success).toBe(true);
    time.advance(1000);
    expect((await runner.request('auto')).skipped).toBe('not-due');
  });

  it('does not keep a failed sync from retrying at the next due trigger', async () => {
    await runner.request('auto');
    time.advance(2 * 60 * MINUTE);
    demo.setScenario({ networkDown: true });
    expect((await runner.request('auto')).success).toBe(false);
    demo.setScenario({});
    time.advance(MINUTE);
    expect((await runner.request('auto')).success).toBe(true);
  });
});

describe('sync runner, offline', () => {
  it('skips automatic syncs while the platform says offline, writing nothing; manual ones still try', async () => {
    let online = false;
    const offlineRunner = createSyncRunner({
      db: h.db,
      clock: time.clock,
      sync: (trigger) => h.sync(trigger),
      isOnline: () => online,
    });
    expect((await offlineRunner.request('auto')).skipped).toBe('offline');
    expect(listSyncRuns(h.db, 10)).toEqual([]);
    expect(demo.requests).toEqual([]);
    demo.setScenario({ networkDown: true });
    expect((await offlineRunner.request('manual')).message).toBe('Network unavailable');
    online = true;
    demo.setScenario({});
    expect((await offlineRunner.request('auto')).success).toBe(true);
  });
});
