/**
 * The platform's fetch as the cloud client's HttpClient: the same code in a page, a service
 * worker and Node. A request that gets no answer becomes a CloudError: `timeout` when our
 * timer aborted it, `network` otherwise (offline, refused, reset), so the engine can tell
 * the user which without parsing engine-specific messages.
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
      });
      // The body is read under the same timer: a server that stalls mid-answer times out too.
      const body = await response.text();
      return { status: response.status, header: (name) => response.headers.get(name), body };
    } catch (error) {
      if (controller.signal.aborted) {
        throw new CloudError('timeout', `The cloud did not answer within ${formatDuration(request.timeoutMs)}`);
      }
      throw new CloudError('network', 'Network unavailable', undefined, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  };
}
