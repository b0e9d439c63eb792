import { describe, expect, it } from 'vitest';
import { autoSyncDecision, failureCooldownMs, MIN_SYNC_INTERVAL_MS, shouldSync } from '../../src/core/throttle.ts';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const MINUTE = 60_000;

describe('shouldSync', () => {
  it('syncs when never synced', () => {
    expect(shouldSync(null, NOW)).toBe(true);
  });

  it('waits at 59:59 since the last success', () => {
    expect(shouldSync(NOW - (MIN_SYNC_INTERVAL_MS - 1000), NOW)).toBe(false);
  });

  it('syncs at exactly 60:00', () => {
    expect(shouldSync(NOW - MIN_SYNC_INTERVAL_MS, NOW)).toBe(true);
  });

  it('syncs well after the hour', () => {
    expect(shouldSync(NOW - 5 * MIN_SYNC_INTERVAL_MS, NOW)).toBe(true);
  });

  it('does not sync right after a success', () => {
    expect(shouldSync(NOW, NOW)).toBe(false);
  });

  it('treats a last sync in the future (clock went back) as due', () => {
    expect(shouldSync(NOW + 10 * MINUTE, NOW)).toBe(true);
  });
});

describe('failure cooldown', () => {
  it('doubles from one minute and stops at an hour', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 50].map((n) => failureCooldownMs(n) / MINUTE)).toEqual([
      0, 1, 2, 4, 8, 16, 32, 60, 60, 60,
    ]);
  });
});

describe('autoSyncDecision', () => {
  const neverSynced = {
    lastSuccessfulAt: null,
    lastAttemptFailed: false,
    lastAttemptAt: null,
    consecutiveFailures: 0,
    askedToWaitUntil: null,
  };

  it('waits out the time a 429 asked for, even past its cooldown', () => {
    const state = {
      lastSuccessfulAt: NOW - 10 * MINUTE,
      lastAttemptFailed: true,
      lastAttemptAt: NOW - 2 * MINUTE,
      consecutiveFailures: 1,
      askedToWaitUntil: NOW + 3 * MINUTE,
    };
    expect(autoSyncDecision(state, NOW)).toEqual({ due: false, reason: 'cooling-down', retryAt: NOW + 3 * MINUTE });
    expect(autoSyncDecision(state, NOW + 3 * MINUTE)).toEqual({ due: true });
  });

  it('is due on first use', () => {
    expect(autoSyncDecision(neverSynced, NOW)).toEqual({ due: true });
  });

  it('says when the hour is up after a recent success', () => {
    const state = {
      lastSuccessfulAt: NOW - 20 * MINUTE,
      lastAttemptFailed: false,
      lastAttemptAt: NOW - 20 * MINUTE,
      consecutiveFailures: 0,
      askedToWaitUntil: null,
    };
    expect(autoSyncDecision(state, NOW)).toEqual({ due: false, reason: 'synced-recently', retryAt: NOW + 40 * MINUTE });
  });

  it('waits one minute after a first failure, then is due', () => {
    const state = {
      lastSuccessfulAt: null,
      lastAttemptFailed: true,
      lastAttemptAt: NOW - 59_000,
      consecutiveFailures: 1,
      askedToWaitUntil: null,
    };
    expect(autoSyncDecision(state, NOW)).toEqual({ due: false, reason: 'cooling-down', retryAt: NOW + 1000 });
    expect(autoSyncDecision(state, NOW + 1000)).toEqual({ due: true });
  });

  it('waits 4 minutes after three failures in a row', () => {
    const state = {
      lastSuccessfulAt: NOW - 3 * MIN_SYNC_INTERVAL_MS,
      lastAttemptFailed: true,
      lastAttemptAt: NOW,
      consecutiveFailures: 3,
      askedToWaitUntil: null,
    };
    expect(autoSyncDecision(state, NOW + 4 * MINUTE - 1)).toMatchObject({ due: false, reason: 'cooling-down' });
    expect(autoSyncDecision(state, NOW + 4 * MINUTE)).toEqual({ due: true });
  });

  it('never waits more than an hour after many failures', () => {
    const state = {
      lastSuccessfulAt: null,
      lastAttemptFailed: true,
      lastAttemptAt: NOW,
      consecutiveFailures: 40,
      askedToWaitUntil: null,
    };
    expect(autoSyncDecision(state, NOW + MIN_SYNC_INTERVAL_MS)).toEqual({ due: true });
  });

  it('retries a failed attempt within the hour, once its cooldown has passed', () => {
    const state = {
      lastSuccessfulAt: NOW - 10 * MINUTE,
      lastAttemptFailed: true,
      lastAttemptAt: NOW - 2 * MINUTE,
      consecutiveFailures: 2,
      askedToWaitUntil: null,
    };
    expect(autoSyncDecision(state, NOW)).toEqual({ due: true });
    expect(autoSyncDecision({ ...state, lastAttemptAt: NOW - MINUTE }, NOW)).toMatchObject({ reason: 'cooling-down' });
  });

  it('retries right away after a failure that never reached the cloud (offline)', () => {
    const state = {
      lastSuccessfulAt: NOW - 10 * MINUTE,
      lastAttemptFailed: true,
      lastAttemptAt: NOW - 10 * MINUTE,
      consecutiveFailures: 0,
      askedToWaitUntil: null,
    };
    expect(autoSyncDecision(state, NOW)).toEqual({ due: true });
  });

  it('ignores a cooldown whose attempt lies in the future (clock went back)', () => {
    const state = {
      lastSuccessfulAt: null,
      lastAttemptFailed: true,
      lastAttemptAt: NOW + 5 * MINUTE,
      consecutiveFailures: 2,
      askedToWaitUntil: null,
    };
    expect(autoSyncDecision(state, NOW)).toEqual({ due: true });
  });
});
