/**
 * The retry policy (docs/cloud-protocol.md, "Errors") for one HTTP call. A 429 or 5xx answer is retried after 500 ms,
 * 1 s and 2 s (the seed's "exponential backoff (500ms, 1s, 2s)"; 5xx "up to 3 times"); a
 * 429's Retry-After is honoured when it asks for longer, up to a minute. A 429 that asks for
 * more than a minute is returned at once: waiting out part of the ask only to be refused again
 * would keep the user at "Syncing…" for minutes, and the caller says the wait instead. Anything
 * else is returned as it is. A call that got no answer at all (offline, DNS, reset) is not retried:
 * offline must fail fast, and the next trigger tries again.
 */
import type { Clock, Sleep } from '../core/clock.ts';
import type { HttpResponse } from './http.ts';

const RETRY_DELAYS_MS = [500, 1000, 2000] as const;

/** Longest wait a Retry-After header can buy; a longer ask ends the call instead. */
const MAX_RETRY_AFTER_MS = 60_000;

export interface RetryTimers {
  clock: Clock;
  sleep: Sleep;
}

const isRetryable = (status: number): boolean => status === 429 || status >= 500;

/** Milliseconds a Retry-After value asks for (delta-seconds or an HTTP date), or null if unusable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** How long to wait before retry number `retry` (0-based) after `response`; null: do not retry. */
function retryDelayMs(response: HttpResponse, retry: number, now: number): number | null {
  const scheduled = RETRY_DELAYS_MS[retry] ?? RETRY_DELAYS_MS[RETRY_DELAYS_MS.length - 1] ?? 0;
  if (response.status !== 429) return scheduled;
  const asked = parseRetryAfter(response.header('retry-after'), now) ?? 0;
  return asked > MAX_RETRY_AFTER_MS ? null : Math.max(scheduled, asked);
}

/**
 * Sends, and re-sends while the answer is retryable and retries remain. Resolves with the
 * last answer (which may still be a 429 or 5xx: the caller turns that into an error).
 */
export async function sendWithRetry(send: () => Promise<HttpResponse>, timers: RetryTimers): Promise<HttpResponse> {
  for (let retry = 0; ; retry++) {
    const response = await send();
    if (!isRetryable(response.status) || retry >= RETRY_DELAYS_MS.length) return response;
    const delay = retryDelayMs(response, retry, timers.clock.now());
    if (delay === null) return response;
    await timers.sleep(delay);
  }
}
