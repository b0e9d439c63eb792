import { getResponse, type HttpHandler } from 'msw';
import { CloudError } from '../../src/transport/cloudError.ts';
import type { HttpClient } from '../../src/transport/http.ts';

/**
 * An HttpClient answered by msw handlers, chosen by the request's origin, without any
 * interception: several clouds side by side in one test. A handler's `HttpResponse.error()`
 * is a dropped connection, as fetchHttp reports one.
 */
export function handlerHttp(routes: Record<string, HttpHandler[]>): HttpClient {
  return async (request) => {
    const handlers = routes[new URL(request.url).origin];
    if (!handlers) throw new Error(`No cloud at ${request.url}`);
    const init = { method: request.method, headers: request.headers, ...(request.body ? { body: request.body } : {}) };
    const response = await getResponse(handlers, new Request(request.url, init));
    if (!response) throw new Error(`No handler for ${request.method} ${request.url}`);
    if (response.type === 'error') throw new CloudError('network', 'Network unavailable');
    return { status: response.status, header: (name) => response.headers.get(name), body: await response.text() };
  };
}
