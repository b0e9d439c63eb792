/** "2h ago" (sidebar), "2 hours ago" (Sync Status card) and "in 3h 12m" (the next auto-sync), from two instants. */

export type AgoStyle = 'short' | 'long';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const unit = (n: number, short: string, long: string, style: AgoStyle): string =>
  style === 'short' ? `${n}${short}` : `${n} ${long}${n === 1 ? '' : 's'}`;

export function formatAgo(at: number, now: number, style: AgoStyle): string {
  const elapsed = now - at;
  // A time in the future means the clock went back: it is as fresh as it gets.
  if (elapsed < MINUTE) return 'just now';
  if (elapsed < HOUR) return `${unit(Math.floor(elapsed / MINUTE), 'm', 'minute', style)} ago`;
  if (elapsed < DAY) return `${unit(Math.floor(elapsed / HOUR), 'h', 'hour', style)} ago`;
  return `${unit(Math.floor(elapsed / DAY), 'd', 'day', style)} ago`;
}

/** "in 3h 12m", "in 12m", "in 2d 4h"; "in under a minute" for what is due now or overdue. */
export function formatIn(at: number, now: number): string {
  const left = at - now;
  if (left < MINUTE) return 'in under a minute';
  if (left < HOUR) return `in ${Math.floor(left / MINUTE)}m`;
  if (left < DAY) return `in ${Math.floor(left / HOUR)}h ${Math.floor((left % HOUR) / MINUTE)}m`;
  return `in ${Math.floor(left / DAY)}d ${Math.floor((left % DAY) / HOUR)}h`;
}
