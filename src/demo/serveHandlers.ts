/**
 * Answers Node HTTP requests with msw request handlers, so a client (the CLI, a browser's
 * service worker, curl) talks to the demo cloud exactly as it would to a real one. An msw
 * network error (`HttpResponse.error()`) drops the connection without an answer.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse, type HttpHandler } from 'msw';

export interface HandlerServer {
  /** e.g. `http://127.0.0.1:41234` */
  url: string;
  close(): Promise<void>;
}

async function toRequest(incoming: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const method = incoming.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD' && chunks.length > 0;
  return new Request(new URL(incoming.url ?? '/', origin), {
    method,
    headers,
    ...(hasBody ? { body: Buffer.concat(chunks) } : {}),
  });
}

function sendJson(outgoing: ServerResponse, status: number, body: unknown): void {
  outgoing.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  outgoing.end(JSON.stringify(body));
}

/** Answers one request with `handlers`; 404 when none matches. */
async function answerWithHandlers(
  handlers: HttpHandler[],
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  origin: string,
): Promise<void> {
  const response = await getResponse(handlers, await toRequest(incoming, origin));
  if (!response) {
    sendJson(outgoing, 404, { error: 'not_found', message: `No route for ${incoming.method} ${incoming.url}` });
    return;
  }
  if (response.type === 'error') {
    incoming.socket.destroy();
    return;
  }
  outgoing.writeHead(response.status, { ...Object.fromEntries(response.headers), 'cache-control': 'no-store' });
  outgoing.end(Buffer.from(await response.arrayBuffer()));
}

/** Starts `server` on host:port (0 = any free port) and gives back its origin. */
export async function listen(
  server: ReturnType<typeof createServer>,
  host: string,
  port: number,
): Promise<{ origin: string; close(): Promise<void> }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    origin: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * A cloud on another origin must allow the app's service worker to call it, as the real one
 * does: any origin, the headers the client sends, and preflights answered.
 */
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, accept, apikey',
  'access-control-expose-headers': 'retry-after',
  'access-control-max-age': '600',
};

/** Serves `handlers` as a cloud of its own, on its own origin (the CLI's demo, a second cloud in tests). */
export async function serveHandlers(
  handlers: HttpHandler[],
  options: { host?: string; port?: number } = {},
): Promise<HandlerServer> {
  let origin = '';
  const server = createServer((incoming, outgoing) => {
    for (const [name, value] of Object.entries(CORS)) outgoing.setHeader(name, value);
    if (incoming.method === 'OPTIONS') {
      outgoing.writeHead(204).end();
      return;
    }
    answerWithHandlers(handlers, incoming, outgoing, origin).catch((error: unknown) =>
      sendJson(outgoing, 500, { error: 'internal', message: String(error) }),
    );
  });
  const listening = await listen(server, options.host ?? '127.0.0.1', options.port ?? 0);
  origin = listening.origin;
  return { url: origin, close: listening.close };
}
