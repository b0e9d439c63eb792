/**
 * The current time as a signal that ticks, so every "2h ago" on screen stays true without
 * a reload. Timers come in as a provider (as TanStack Query's timeoutManager does) so tests
 * drive them with fake timers instead of waiting.
 */
import { type ReadonlySignal, signal } from '@preact/signals';
import type { Clock } from '../../core/clock.ts';

export interface Ticker {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/** Relative times on screen have minute resolution; a tick every 15 s keeps them at most 15 s late. */
const TICK_MS = 15_000;

export function createNow(
  clock: Clock,
  ticker: Ticker,
): { now: ReadonlySignal<number>; refresh(): void; stop(): void } {
  const now = signal(clock.now());
  const refresh = () => {
    now.value = clock.now();
  };
  const handle = ticker.setInterval(refresh, TICK_MS);
  return { now, refresh, stop: () => ticker.clearInterval(handle) };
}
