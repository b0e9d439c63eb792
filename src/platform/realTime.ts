import type { Clock, Sleep } from '../core/clock.ts';

/** The real clock and timer, for every platform's composition root. */
export const systemClock: Clock = { now: () => Date.now() };

export const systemSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
