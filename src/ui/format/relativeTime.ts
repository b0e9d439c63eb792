/** "2h ago" (sidebar) and "2 hours ago" (Sync Status card), from two instants. */

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
