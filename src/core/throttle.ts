/**
 * When an automatic sync may run (docs/sync-rules.md, "Throttle"). Manual syncs
 * never ask. Pure functions of the recorded state and the current time.
 */

/** The seed's MIN_SYNC_INTERVAL_SECS: at most one automatic sync an hour. */
export const MIN_SYNC_INTERVAL_MS = 60 * 60 * 1000;

/** After a failed attempt automatic syncs wait 1 min, then 2, 4, ... */
const FAILURE_COOLDOWN_BASE_MS = 60 * 1000;
/** ... up to an hour, so a cloud that is down is asked at most hourly. */
const FAILURE_COOLDOWN_MAX_MS = 60 * 60 * 1000;

/**
 * The seed's should_sync: never synced, or synced at least an hour ago. A `last` in the
 * future means the clock went back; waiting for it could mean never syncing again, so it is due.
 */
export function shouldSync(lastSuccessfulAt: number | null, now: number): boolean {
  if (lastSuccessfulAt === null || lastSuccessfulAt > now) return true;
  return now - lastSuccessfulAt >= MIN_SYNC_INTERVAL_MS;
}

/** How long automatic syncs wait after `consecutiveFailures` failed attempts in a row. */
export function failureCooldownMs(consecutiveFailures: number): number {
  if (consecutiveFailures <= 0) return 0;
  // 2 ** 6 minutes already exceeds the cap; clamping the exponent keeps the number small.
  return Math.min(FAILURE_COOLDOWN_BASE_MS * 2 ** Math.min(consecutiveFailures - 1, 6), FAILURE_COOLDOWN_MAX_MS);
}

export interface ThrottleState {
  /** `SELECT MAX(last_successful_at) FROM brokers_sync_state`, as epoch ms. */
  lastSuccessfulAt: number | null;
  /** Whether the most recent sync failed (wholly or for some account) or was refused. */
  lastAttemptFailed: boolean;
  /** When the most recent sync that reached the cloud started. */
  lastAttemptAt: number | null;
  /** Failed or refused attempts that reached the cloud, since the last one that succeeded. */
  consecutiveFailures: number;
  /** Until when the cloud asked not to be asked (a 429 that ended the last sync), or null. */
  askedToWaitUntil: number | null;
}

export type AutoSyncDecision =
  | { due: true }
  | { due: false; reason: 'synced-recently' | 'cooling-down'; retryAt: number };

/**
 * Due when an hour has passed since the last success, or when the last attempt failed (the
 * seed: "a failed attempt does not move last_successful_at, so the next trigger retries");
 * either way only once the failure cooldown has passed, and the wait a 429 asked for.
 */
export function autoSyncDecision(state: ThrottleState, now: number): AutoSyncDecision {
  if (!state.lastAttemptFailed && !shouldSync(state.lastSuccessfulAt, now)) {
    return { due: false, reason: 'synced-recently', retryAt: (state.lastSuccessfulAt ?? now) + MIN_SYNC_INTERVAL_MS };
  }
  const cooldown = failureCooldownMs(state.consecutiveFailures);
  const { lastAttemptAt, askedToWaitUntil } = state;
  const cooledAt =
    cooldown > 0 && lastAttemptAt !== null && lastAttemptAt <= now && now - lastAttemptAt < cooldown
      ? lastAttemptAt + cooldown
      : null;
  // The wait a 429 asked for, while it lasts.
  const asked = askedToWaitUntil !== null && askedToWaitUntil > now ? askedToWaitUntil : null;
  const retryAt = Math.max(cooledAt ?? 0, asked ?? 0);
  return retryAt > 0 ? { due: false, reason: 'cooling-down', retryAt } : { due: true };
}
