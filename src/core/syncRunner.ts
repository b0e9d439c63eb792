/**
 * One sync at a time, and the throttle in front of it (docs/sync-rules.md, "Throttle"). Triggers that arrive
 * together, or while a sync runs, join it; an automatic trigger that is not due does nothing;
 * a manual one always syncs, but joins a running sync instead of starting a second.
 * Across processes or tabs, the platform serializes `sync` itself (Web Locks, a file lock);
 * this runner is the in-process half.
 */
import type { SqlDatabase } from '../storage/sqlDatabase.ts';
import { type Clock, toIso } from './clock.ts';
import type { SyncResult, SyncTrigger } from './syncEvents.ts';
import { skippedResult } from './syncOutcome.ts';
import { autoSyncDecision } from './throttle.ts';
import { readThrottleState } from './throttleState.ts';

export interface SyncRunnerDeps {
  db: SqlDatabase;
  clock: Clock;
  /** Runs one sync (performBrokerSync, bound to its dependencies). */
  sync: (trigger: SyncTrigger) => Promise<SyncResult>;
  /**
   * The platform's idea of connectivity. An automatic trigger while offline does nothing (it
   * could only fail and write that down); a manual one still tries, and fails fast.
   */
  isOnline?: () => boolean;
  /**
   * Whether automatic triggers wait for the throttle (foreground platforms: yes). Server mode's
   * scheduler has its own fixed interval instead (the seed's Web/Docker: "Throttle: None").
   */
  throttled?: boolean;
}

export interface SyncRunner {
  request(trigger: SyncTrigger): Promise<SyncResult>;
  isRunning(): boolean;
  /** Resolves once no sync is running (at once when none is). */
  settled(): Promise<void>;
}

export function createSyncRunner({ db, clock, sync, isOnline, throttled = true }: SyncRunnerDeps): SyncRunner {
  let current: Promise<SyncResult> | null = null;
  return {
    request(trigger) {
      if (current) return current;
      if (trigger === 'auto' && isOnline?.() === false) {
        return Promise.resolve(skippedResult('offline', 'Offline: the next sync happens when you are back online'));
      }
      if (trigger === 'auto' && throttled) {
        const decision = autoSyncDecision(readThrottleState(db), clock.now());
        if (!decision.due) {
          const why =
            decision.reason === 'synced-recently' ? 'Synced less than an hour ago' : 'Waiting after a failed sync';
          return Promise.resolve(
            skippedResult('not-due', `${why}; next automatic sync from ${toIso(decision.retryAt)}`),
          );
        }
      }
      // Set before any await, so a trigger in the same tick joins this sync.
      current = sync(trigger).finally(() => {
        current = null;
      });
      return current;
    },
    isRunning: () => current !== null,
    settled: () =>
      current
        ? current.then(
            () => undefined,
            () => undefined,
          )
        : Promise.resolve(),
  };
}
