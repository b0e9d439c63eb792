/**
 * The retry policy (docs/cloud-protocol.md, "Errors") for one HTTP call. A 429 or 5xx answer is retried after 500 ms,
 * 1 s and 2 s (the seed's "exponential backoff (500ms, 1s, 2s)"; 5xx "up to 3 times"); a
 * 429's Retry-After is honoured when it asks for longer, up to a minute. A 429 that asks for
 * more than a minute fails at once, naming the wait (a CloudError with `retryAfterMs`): waiting
 * out part of the ask only to be refused again would keep the user at "Syncing…" for minutes,
 * and the engine ends the sync rather than ask the cloud anything more. Anything else is
 * returned as it is. A call that got no answer at all (offline, DNS, reset) is not retried:
 * offline must fail fast, and the next trigger tries again.
 */
import type { Clock, Sleep } from '../core/clock.ts';
import { rateLimited } from './cloudError.ts';
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

/** How long to wait before retry number `retry` (0-based) after `response`, as asked. */
function retryDelayMs(response: HttpResponse, retry: number, asked: number | null): number {
  const scheduled = RETRY_DELAYS_MS[retry] ?? RETRY_DELAYS_MS[RETRY_DELAYS_MS.length - 1] ?? 0;
  return response.status === 429 ? Math.max(scheduled, asked ?? 0) : scheduled;
}

/**
 * Sends, and re-sends while the answer is retryable and retries remain. Resolves with the
 * last answer (which may still be a 429 or 5xx: the caller turns that into an error); rejects
 * at once with `rate-limited` when a 429 asks to wait more than a minute.
 */
export async function sendWithRetry(send: () => Promise<HttpResponse>, timers: RetryTimers): Promise<HttpResponse> {
  for (let retry = 0; ; retry++) {
    const response = await send();
    const asked = response.status === 429 ? parseRetryAfter(response.header('retry-after'), timers.clock.now()) : null;
    if (asked !== null && asked > MAX_RETRY_AFTER_MS) throw rateLimited(asked, true);
    if (!isRetryable(response.status) || retry >= RETRY_DELAYS_MS.length) return response;
    await timers.sleep(retryDelayMs(response, retry, asked));
  }
}
