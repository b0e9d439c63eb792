/**
 * Server mode's 4-hour scheduler with fake time: the real runner and engine against the (small)
 * demo cloud, and a timer the test fires by hand.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { toIso } from '../../src/core/clock.ts';
import { createSyncRunner, type SyncRunner } from '../../src/core/syncRunner.ts';
import {
  createSyncScheduler,
  FIRST_SCHEDULED_SYNC_DELAY_MS,
  SCHEDULED_SYNC_INTERVAL_MS,
  type SyncScheduler,
} from '../../src/core/syncScheduler.ts';
import { lastSyncRunStartedAt } from '../../src/storage/syncRuns.ts';
import { listSyncRuns } from '../../src/storage/views.ts';
import { useDemoCloud } from '../support/demoCloudMock.ts';
import { fakeTime } from '../support/fakeTime.ts';
import { createHarness, type Harness } from '../support/syncHarness.ts';

const time = fakeTime();
const demo = useDemoCloud(time, 'small');
const HOUR = 60 * 60 * 1000;

/** Timers that fire only when the test moves time past them, awaiting what they start. */
function manualTimers() {
  const pending = new Set<{ at: number; fire: () => unknown }>();
  return {
    setTimer: (fire: () => unknown, delayMs: number) => {
      const timer = { at: time.clock.now() + delayMs, fire };
      pending.add(timer);
      return () => pending.delete(timer);
    },
    pending: () => [...pending].map((timer) => toIso(timer.at)),
    /** Moves the clock to `iso`, firing every timer due on the way, in order. */
    async advanceTo(iso: string) {
      const until = Date.parse(iso);
      for (;;) {
        const due = [...pending].filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        pending.delete(due);
        time.set(toIso(due.at));
        await due.fire();
      }
      time.set(iso);
    },
  };
}

let h: Harness;
let runner: SyncRunner;
let timers: ReturnType<typeof manualTimers>;
let scheduler: SyncScheduler;
const START = '2026-11-28T12:00:00.000Z';
const syncStarts = () => h.payloads('broker:sync-start').map((payload) => payload.trigger);

async function startScheduler() {
  scheduler = createSyncScheduler({
    clock: time.clock,
    setTimer: timers.setTimer,
    runner,
    lastScheduledAt: () => {
      const at = lastSyncRunStartedAt(h.db, 'AUTO');
      return at ? Date.parse(at) : null;
    },
    onError: (error) => {
      throw error;
    },
  });
  scheduler.start();
}

beforeEach(async () => {
  time.set(START);
  h = await createHarness(time);
  runner = createSyncRunner({ db: h.db, clock: time.clock, sync: (trigger) => h.sync(trigger), throttled: false });
  timers = manualTimers();
});

describe('server mode scheduler', () => {
  it('syncs about a minute after start, then every 4 hours, and never on its own in between', async () => {
    await startScheduler();
    expect(scheduler.nextRunAt()).toBe(Date.parse(START) + FIRST_SCHEDULED_SYNC_DELAY_MS);
    await timers.advanceTo('2026-11-28T12:00:59.000Z');
    expect(syncStarts()).toEqual([]);
    await timers.advanceTo('2026-11-28T12:01:00.000Z');
    expect(syncStarts()).toEqual(['auto']);
    expect(scheduler.nextRunAt()).toBe(Date.parse('2026-11-28T16:01:00.000Z'));
    await timers.advanceTo('2026-11-28T20:00:00.000Z');
    expect(syncStarts()).toEqual(['auto', 'auto']);
    await timers.advanceTo('2026-11-29T00:00:59.000Z');
    expect(syncStarts()).toHaveLength(3); // 20:01
    await timers.advanceTo('2026-11-29T00:01:00.000Z');
    expect(listSyncRuns(h.db, 10).map((run) => run.kind)).toEqual(['AUTO', 'AUTO', 'AUTO', 'AUTO']);
  });

  it('counts from the last scheduled attempt after a restart, so a restart causes no burst', async () => {
    await startScheduler();
    await timers.advanceTo('2026-11-28T12:01:00.000Z');
    scheduler.stop();
    expect(timers.pending()).toEqual([]);
    // Restarted an hour later: the next run is 4 hours after the last one, not a minute after start.
    time.set('2026-11-28T13:01:00.000Z');
    await startScheduler();
    expect(timers.pending()).toEqual(['2026-11-28T16:01:00.000Z']);
    // Restarted long after: a minute after start.
    scheduler.stop();
    time.set('2026-11-29T09:00:00.000Z');
    await startScheduler();
    expect(timers.pending()).toEqual(['2026-11-29T09:01:00.000Z']);
  });

  it('runs on time even right after a sync by hand, which moves nothing in the schedule', async () => {
    await startScheduler();
    await timers.advanceTo('2026-11-28T12:01:00.000Z');
    await timers.advanceTo('2026-11-28T15:50:00.000Z');
    await runner.request('manual');
    expect(scheduler.nextRunAt()).toBe(Date.parse('2026-11-28T16:01:00.000Z'));
    // The foreground throttle (an hour) does not hold the server back: 11 minutes after the manual sync.
    await timers.advanceTo('2026-11-28T16:01:00.000Z');
    expect(syncStarts()).toEqual(['auto', 'manual', 'auto']);
  });

  it('joins a sync already running instead of starting a second', async () => {
    await startScheduler();
    demo.setScenario({ pageDelayMs: 20 });
    const manual = runner.request('manual');
    await timers.advanceTo('2026-11-28T12:01:00.000Z');
    await manual;
    expect(syncStarts()).toEqual(['manual']);
    expect(scheduler.nextRunAt()).toBe(Date.parse('2026-11-28T16:01:00.000Z'));
  });

  it('tells the next run from the moment a run starts, while it is still syncing', async () => {
    await startScheduler();
    demo.setScenario({ pageDelayMs: 20 });
    const due = timers.advanceTo('2026-11-28T12:01:00.000Z');
    await Promise.resolve();
    expect(runner.isRunning()).toBe(true);
    expect(scheduler.nextRunAt()).toBe(Date.parse('2026-11-28T16:01:00.000Z'));
    await due;
    expect(timers.pending()).toEqual(['2026-11-28T16:01:00.000Z']);
  });

  it('stopped and started again during a run, it keeps one timer', async () => {
    await startScheduler();
    demo.setScenario({ pageDelayMs: 20 });
    const due = timers.advanceTo('2026-11-28T12:01:00.000Z');
    await Promise.resolve();
    scheduler.stop();
    scheduler.start();
    await due;
    await runner.settled();
    expect(timers.pending()).toHaveLength(1);
  });

  it('skips silently while nobody is signed in, and goes on', async () => {
    h = await createHarness(time, { refreshToken: null });
    runner = createSyncRunner({ db: h.db, clock: time.clock, sync: (trigger) => h.sync(trigger), throttled: false });
    await startScheduler();
    await timers.advanceTo('2026-11-28T16:01:00.000Z');
    expect(listSyncRuns(h.db, 10).map((run) => run.status)).toEqual(['SKIPPED', 'SKIPPED']);
    expect(h.payloads('broker:sync-error')).toEqual([]);
    expect(demo.requests).toEqual([]);
    expect(scheduler.nextRunAt()).toBe(Date.parse('2026-11-28T20:01:00.000Z'));
  });

  it('ignores a last attempt in the future (the clock went back)', async () => {
    h.db.run(
      "INSERT INTO sync_runs (kind, status, started_at) VALUES ('AUTO', 'SUCCEEDED', '2026-12-25T00:00:00.000Z')",
    );
    await startScheduler();
    expect(timers.pending()).toEqual(['2026-11-28T12:01:00.000Z']);
    expect(SCHEDULED_SYNC_INTERVAL_MS).toBe(4 * HOUR);
  });
});
