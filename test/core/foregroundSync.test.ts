/**
 * The seed's integration tests: foreground sync flow, throttle enforcement, portfolio update
 * trigger. The window and document are plain EventTargets receiving the same events a
 * browser sends; everything behind them is real.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/core/clock.ts';
import { browserForegroundEvents, startForegroundSync } from '../../src/core/foregroundSync.ts';
import type { SyncResult } from '../../src/core/syncEvents.ts';
import { createSyncRunner } from '../../src/core/syncRunner.ts';
import { useDemoCloud } from '../support/demoCloudMock.ts';
import { fakeTime } from '../support/fakeTime.ts';
import { createHarness, type Harness } from '../support/syncHarness.ts';

const time = fakeTime();
// Triggers and throttling only: a few weeks of history sync as well as two years, and faster.
const demo = useDemoCloud(time, 'small');
const HOUR = 60 * 60_000;

class FakeDocument extends EventTarget {
  visibilityState = 'visible';
}

let h: Harness;
let win: EventTarget;
let doc: FakeDocument;
let requests: Promise<SyncResult>[];
let errors: unknown[];
let stop: () => void;
const syncs = () => h.payloads('broker:sync-start').length;
/** Lets every sync asked for so far finish. */
const settle = () => Promise.all(requests);

const pageShow = (persisted: boolean) => Object.assign(new Event('pageshow'), { persisted });
const becomeVisible = () => {
  doc.visibilityState = 'visible';
  doc.dispatchEvent(new Event('visibilitychange'));
};

beforeEach(async () => {
  time.set('2026-11-28T12:00:00.000Z');
  h = await createHarness(time);
  const runner = createSyncRunner({ db: h.db, clock: time.clock, sync: (trigger) => h.sync(trigger) });
  win = new EventTarget();
  doc = new FakeDocument();
  requests = [];
  errors = [];
  stop = startForegroundSync(
    () => {
      const request = runner.request('auto');
      requests.push(request);
      return request;
    },
    browserForegroundEvents(win, doc),
    (error) => errors.push(error),
  );
  await settle();
});

afterEach(() => {
  stop();
  expect(errors).toEqual([]);
});

describe('foreground sync flow', () => {
  it('syncs at app start when never synced', () => {
    expect(syncs()).toBe(1);
    expect(h.payloads('broker:sync-start')).toEqual([{ trigger: 'auto' }]);
  });

  it('syncs when the window gains focus after the hour', async () => {
    time.advance(HOUR);
    win.dispatchEvent(new Event('focus'));
    await settle();
    expect(syncs()).toBe(2);
  });

  it('syncs when the page becomes visible (mobile foreground), not when it is hidden', async () => {
    time.advance(HOUR);
    doc.visibilityState = 'hidden';
    doc.dispatchEvent(new Event('visibilitychange'));
    await settle();
    expect(syncs()).toBe(1);
    becomeVisible();
    await settle();
    expect(syncs()).toBe(2);
  });

  it('syncs on a page restored from the back/forward cache, not on a fresh pageshow', async () => {
    time.advance(HOUR);
    win.dispatchEvent(pageShow(false));
    await settle();
    expect(syncs()).toBe(1);
    win.dispatchEvent(pageShow(true));
    await settle();
    expect(syncs()).toBe(2);
  });

  it('syncs when the network comes back', async () => {
    time.advance(HOUR);
    win.dispatchEvent(new Event('online'));
    await settle();
    expect(syncs()).toBe(2);
  });

  it('stops listening when stopped', async () => {
    stop();
    time.advance(HOUR);
    win.dispatchEvent(new Event('focus'));
    await settle();
    expect(syncs()).toBe(1);
  });
});

describe('throttle enforcement', () => {
  it('many focus and visibility events within the hour make no sync', async () => {
    for (let i = 0; i < 20; i++) {
      time.advance(2 * 60_000);
      win.dispatchEvent(new Event('focus'));
      becomeVisible();
    }
    await settle();
    expect(syncs()).toBe(1);
  });

  it('after a 429 that asked for 10 minutes, coming back asks the cloud nothing until they are over', async () => {
    await settle();
    time.advance(HOUR);
    demo.setScenario({ rateLimited: 10, retryAfter: '600' });
    win.dispatchEvent(new Event('focus'));
    await settle();
    expect(syncs()).toBe(2);
    // An attempt that never reached the cloud since (offline) does not lift the wait.
    demo.setScenario({ networkDown: true });
    time.advance(2 * 60_000);
    await h.sync('manual');
    expect(syncs()).toBe(3);
    demo.setScenario({});
    const asked = demo.requests.length;
    // Past the one-minute cooldown of a first failure, within what the cloud asked for.
    time.advance(7 * 60_000);
    win.dispatchEvent(new Event('focus'));
    await settle();
    expect(syncs()).toBe(3);
    expect(demo.requests.length).toBe(asked);
    time.advance(60_000);
    win.dispatchEvent(new Event('focus'));
    await settle();
    expect(syncs()).toBe(4);
  });

  it('a storm of events once the hour is up makes exactly one sync', async () => {
    time.advance(HOUR);
    for (let i = 0; i < 10; i++) {
      win.dispatchEvent(new Event('focus'));
      becomeVisible();
      win.dispatchEvent(pageShow(true));
    }
    await settle();
    expect(syncs()).toBe(2);
    win.dispatchEvent(new Event('focus'));
    await settle();
    expect(syncs()).toBe(2);
  });
});

describe('portfolio update trigger', () => {
  it('fires after a sync that brought new data, and not after one that brought none', async () => {
    expect(h.payloads('portfolio:trigger-update')).toHaveLength(1);
    time.advance(HOUR);
    win.dispatchEvent(new Event('focus'));
    await settle();
    expect(syncs()).toBe(2);
    expect(h.payloads('portfolio:trigger-update')).toHaveLength(1);
    time.advance(2 * DAY_MS);
    win.dispatchEvent(new Event('focus'));
    await settle();
    expect(syncs()).toBe(3);
    expect(h.payloads('portfolio:trigger-update')).toHaveLength(2);
  });
});
