import { describe, expect, it } from 'vitest';
import { CloudError } from '../../src/transport/cloudError.ts';
import type { HttpResponse } from '../../src/transport/http.ts';
import { parseRetryAfter, sendWithRetry } from '../../src/transport/retryPolicy.ts';
import { fakeTime } from '../support/fakeTime.ts';

const answer = (status: number, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  header: (name) => headers[name.toLowerCase()] ?? null,
  body: '{}',
});

/** A sender that answers from `script` in order, and counts its calls. */
function scripted(...script: HttpResponse[]) {
  let calls = 0;
  const send = () => {
    const next = script[Math.min(calls, script.length - 1)];
    calls++;
    if (!next) throw new Error('empty script');
    return Promise.resolve(next);
  };
  return { send, calls: () => calls };
}

describe('sendWithRetry', () => {
  it('retries a 429 after 500 ms, 1 s and 2 s, then gives the 429 back', async () => {
    const time = fakeTime();
    const sender = scripted(answer(429));
    const response = await sendWithRetry(sender.send, time);
    expect(response.status).toBe(429);
    expect(time.sleeps).toEqual([500, 1000, 2000]);
    expect(sender.calls()).toBe(4);
  });

  it('stops retrying as soon as an answer is good', async () => {
    const time = fakeTime();
    const sender = scripted(answer(429), answer(429), answer(200));
    expect((await sendWithRetry(sender.send, time)).status).toBe(200);
    expect(time.sleeps).toEqual([500, 1000]);
  });

  it('honours a longer Retry-After in seconds', async () => {
    const time = fakeTime();
    const sender = scripted(answer(429, { 'retry-after': '5' }), answer(200));
    await sendWithRetry(sender.send, time);
    expect(time.sleeps).toEqual([5000]);
  });

  it('keeps the schedule when Retry-After asks for less', async () => {
    const time = fakeTime();
    const sender = scripted(answer(429, { 'retry-after': '0' }), answer(429, { 'retry-after': '0' }), answer(200));
    await sendWithRetry(sender.send, time);
    expect(time.sleeps).toEqual([500, 1000]);
  });

  it('waits a Retry-After of up to 60 s', async () => {
    const time = fakeTime();
    const sender = scripted(answer(429, { 'retry-after': '60' }), answer(200));
    expect((await sendWithRetry(sender.send, time)).status).toBe(200);
    expect(time.sleeps).toEqual([60_000]);
  });

  it('gives up at once when Retry-After asks for more than 60 s, naming the wait', async () => {
    const time = fakeTime('2026-11-28T12:00:00Z');
    const sender = scripted(answer(429, { 'retry-after': '61' }), answer(200));
    await expect(sendWithRetry(sender.send, time)).rejects.toMatchObject({
      code: 'rate-limited',
      message: 'Rate limited by the cloud: it asks to wait 61 s',
      retryAfterMs: 61_000,
    });
    // As an HTTP date too.
    const dated = scripted(answer(429, { 'retry-after': 'Sat, 28 Nov 2026 12:05:00 GMT' }), answer(200));
    await expect(sendWithRetry(dated.send, time)).rejects.toMatchObject({
      message: 'Rate limited by the cloud: it asks to wait 5 min',
      retryAfterMs: 300_000,
    });
    expect(time.sleeps).toEqual([]);
    expect(sender.calls() + dated.calls()).toBe(2);
  });

  it('reads Retry-After as an HTTP date', async () => {
    const time = fakeTime('2026-11-28T12:00:00Z');
    const sender = scripted(answer(429, { 'retry-after': 'Sat, 28 Nov 2026 12:00:20 GMT' }), answer(200));
    await sendWithRetry(sender.send, time);
    expect(time.sleeps).toEqual([20_000]);
  });

  it('retries a 5xx three times with the same backoff', async () => {
    const time = fakeTime();
    const sender = scripted(answer(503), answer(500), answer(502), answer(504));
    expect((await sendWithRetry(sender.send, time)).status).toBe(504);
    expect(time.sleeps).toEqual([500, 1000, 2000]);
    expect(sender.calls()).toBe(4);
  });

  it.each([400, 401, 403, 404, 422])('does not retry a %i', async (status) => {
    const time = fakeTime();
    const sender = scripted(answer(status));
    expect((await sendWithRetry(sender.send, time)).status).toBe(status);
    expect(time.sleeps).toEqual([]);
    expect(sender.calls()).toBe(1);
  });

  it('does not retry a network error: it fails at once', async () => {
    const time = fakeTime();
    let calls = 0;
    const send = () => {
      calls++;
      return Promise.reject(new CloudError('network', 'Network unavailable'));
    };
    await expect(sendWithRetry(send, time)).rejects.toMatchObject({ code: 'network' });
    expect(calls).toBe(1);
    expect(time.sleeps).toEqual([]);
  });
});

describe('parseRetryAfter', () => {
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter('soon', 0)).toBeNull();
    expect(parseRetryAfter(null, 0)).toBeNull();
  });

  it('reads a date in the past as no wait', () => {
    expect(parseRetryAfter('Sat, 28 Nov 2026 11:00:00 GMT', Date.parse('2026-11-28T12:00:00Z'))).toBe(0);
  });
});
