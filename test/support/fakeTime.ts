import type { Clock, Sleep } from '../../src/core/clock.ts';

/**
 * A clock that only moves when told, and a sleep that records what it was asked for and
 * moves the clock by that much at once: retry schedules run instantly and are asserted exactly.
 */
export interface FakeTime {
  clock: Clock;
  sleep: Sleep;
  /** Every sleep requested, in ms, in order. */
  sleeps: number[];
  advance(ms: number): void;
  set(iso: string): void;
  iso(): string;
}

export function fakeTime(startIso = '2026-11-28T12:00:00.000Z'): FakeTime {
  let now = Date.parse(startIso);
  const sleeps: number[] = [];
  return {
    clock: { now: () => now },
    sleep: (ms) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
    sleeps,
    advance: (ms) => {
      now += ms;
    },
    set: (iso) => {
      now = Date.parse(iso);
    },
    iso: () => new Date(now).toISOString(),
  };
}
