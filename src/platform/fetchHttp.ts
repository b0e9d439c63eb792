/**
 * The platform's fetch as the cloud client's HttpClient: the same code in a page, a service
 * worker and Node. A request that gets no answer becomes a CloudError: `timeout` when our
 * timer aborted it, `network` otherwise (offline, refused, reset), so the engine can tell
 * the user which without parsing engine-specific messages.
 *
 * Redirects are not followed: every cloud request carries a credential (the refresh token in the
 * body, or the access token), and a 307 would send it on to whatever host the answer names.
 */
import { CloudError } from '../transport/cloudError.ts';
import type { HttpClient } from '../transport/http.ts';

const formatDuration = (ms: number): string => (ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`);

/**
 * A page of 1,000 activities is about a megabyte: an answer of more than this is not one the
 * protocol sends, and reading it all would take minutes and gigabytes (it is cut off instead).
 */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

/** The body as text, or a `malformed-response` CloudError past `limit` bytes, read no further. */
async function readText(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  const tooLarge = () =>
    new CloudError(
      'malformed-response',
      `The cloud sent an answer larger than ${limit / 1024 / 1024} MB`,
      response.status,
    );
  if (declared > limit) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let read = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return text + decoder.decode();
    read += value.byteLength;
    if (read > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
}

/** `fetchFn` defaults to the global fetch as it is at request time (a test's interceptor may replace it). */
export function fetchHttp(fetchFn?: typeof fetch, maxAnswerBytes = MAX_ANSWER_BYTES): HttpClient {
  return async (request) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), request.timeoutMs);
    try {
      const response = await (fetchFn ?? globalThis.fetch)(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        signal: controller.signal,
        redirect: 'manual',
      });
      // A browser shows a redirect not followed as an opaque answer; Node as the 3xx itself.
      if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
        const to = response.headers.get('location');
        throw new CloudError(
          'request-rejected',
          `The cloud answered with a redirect${to ? ` to ${to}` : ''}, which is not followed with your credentials: check its URL`,
          response.status,
        );
      }
      // The body is read under the same timer: a server that stalls mid-answer times out too.
      const body = await readText(response, maxAnswerBytes);
      return { status: response.status, header: (name) => response.headers.get(name), body };
    } catch (error) {
      if (error instanceof CloudError) throw error;
      if (controller.signal.aborted) {
        throw new CloudError('timeout', `The cloud did not answer within ${formatDuration(request.timeoutMs)}`);
      }
      throw new CloudError('network', 'Network unavailable', undefined, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  };
}
