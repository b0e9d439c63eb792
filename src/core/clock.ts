/**
 * Time enters the engine only through these two seams. Production wires the platform's real
 * clock and timer (src/platform/realTime.ts); tests pass a fake clock and a sleep that records
 * the delays it was asked for, so a retry schedule is asserted without waiting it out.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export type Sleep = (ms: number) => Promise<void>;

export const toIso = (ms: number): string => new Date(ms).toISOString();

/** `YYYY-MM-DD` of an instant, in UTC. */
export const utcDay = (ms: number): string => toIso(ms).slice(0, 10);

export const DAY_MS = 24 * 60 * 60 * 1000;
