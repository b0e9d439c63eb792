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

/** `fetchFn` defaults to the global fetch as it is at request time (a test's interceptor may replace it). */
export function fetchHttp(fetchFn?: typeof fetch): HttpClient {
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
      const body = await response.text();
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
