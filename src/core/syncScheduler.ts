/**
 * Server mode's background sync (the seed's Web/Docker "Background Scheduler"): a fixed 4-hour
 * interval, not configurable, to spare the cloud. The first run comes about a minute after start,
 * or 4 hours after the last scheduled attempt the database remembers if that is later, so a
 * restart (or a crash loop) never causes a burst. A sync started by hand changes nothing here; a
 * scheduled run that finds one running joins it (the runner's single flight), so syncs never
 * overlap. Not signed in, or no plan: the sync skips silently, and the schedule goes on.
 */
import type { Clock } from './clock.ts';
import type { SyncRunner } from './syncRunner.ts';

/** The seed: "Fixed 4-hour interval (not user-configurable to prevent API abuse)". */
export const SCHEDULED_SYNC_INTERVAL_MS = 4 * 60 * 60 * 1000;
/** Long enough for the server to settle after start, short enough that a new install syncs soon. */
export const FIRST_SCHEDULED_SYNC_DELAY_MS = 60 * 1000;

/**
 * A one-shot timer, as a seam (like TanStack Query's timer provider): production passes
 * setTimeout, tests a timer they fire by hand. Returns the cancel function.
 */
export type SetTimer = (fire: () => unknown, delayMs: number) => () => void;

export interface SyncScheduler {
  start(): void;
  stop(): void;
  /** When the next scheduled sync runs (epoch ms), or null when stopped. For "Next auto-sync: in 3h 12m". */
  nextRunAt(): number | null;
}

export function createSyncScheduler(deps: {
  clock: Clock;
  setTimer: SetTimer;
  /** A runner without the foreground throttle: the server has none (docs/sync-rules.md, "Throttle"). */
  runner: SyncRunner;
  /** When the last scheduled sync started, from the database (epoch ms), or null. */
  lastScheduledAt: () => number | null;
  onError: (error: unknown) => void;
}): SyncScheduler {
  let next: number | null = null;
  let cancel: (() => void) | null = null;
  /** Moves on with every stop, so a run that was under way when it stopped does not arm again. */
  let generation = 0;

  const arm = (at: number) => {
    next = at;
    // The timer counts real elapsed time, so a wall clock that jumps does not move the run.
    cancel = deps.setTimer(fire, Math.max(0, at - deps.clock.now()));
  };

  async function fire(): Promise<void> {
    const mine = generation;
    // From its start, the run tells of the one after it: that is what "Next auto-sync" shows.
    const upcoming = deps.clock.now() + SCHEDULED_SYNC_INTERVAL_MS;
    next = upcoming;
    cancel = null;
    try {
      await deps.runner.request('auto');
    } catch (error) {
      deps.onError(error);
    }
    if (mine === generation) arm(upcoming);
  }

  return {
    start() {
      if (next !== null) return;
      const now = deps.clock.now();
      const last = deps.lastScheduledAt();
      // A last attempt in the future means the clock went back: it says nothing about when to run.
      const fromLast = last !== null && last <= now ? last + SCHEDULED_SYNC_INTERVAL_MS : 0;
      arm(Math.max(now + FIRST_SCHEDULED_SYNC_DELAY_MS, fromLast));
    },
    stop() {
      generation++;
      next = null;
      cancel?.();
      cancel = null;
    },
    nextRunAt: () => next,
  };
}
