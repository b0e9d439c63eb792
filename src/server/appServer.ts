/**
 * What `npm start` serves, on Hono: the built PWA, and the built-in demo cloud under
 * /demo-cloud on the same origin, over real HTTP, so the service worker runs the real auth,
 * paging and retry paths against it.
 *
 * Static files go out precompressed (brotli or gzip, by Accept-Encoding; written at build time by
 * precompress.ts), hashed assets cached for good, everything else revalidated; JSON is compressed
 * on the fly. Every answer carries a strict Content-Security-Policy and the usual security headers.
 *
 * The demo cloud also takes its scenario switches at /demo-cloud/__scenario (POST JSON) and shows
 * what it was asked at /demo-cloud/__requests, for tests and for the curious; only from this
 * machine, and only as JSON, so no web page elsewhere can flip them.
 */

import { relative, resolve, sep } from 'node:path';
import { createAdaptorServer, type HttpBindings } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import { secureHeaders } from 'hono/secure-headers';
import { getResponse } from 'msw';
import type { Logger } from '../core/logger.ts';
import { createDemoCloud, type DemoCloud } from '../demo/demoCloud.ts';
import type { DemoSize } from '../demo/demoDataset.ts';
import { DEMO_CLOUD_PATH } from '../demo/demoDefaults.ts';
import type { DemoScenario } from '../demo/demoScenario.ts';
import { listen } from '../demo/serveHandlers.ts';

export interface AppServerOptions {
  /** The folder `vite build` wrote. */
  distDir: string;
  host: string;
  port: number;
  /** The demo cloud's clock (tests move it). */
  now?: () => number;
  /** The demo cloud's history: the full one (default), or a few weeks for tests that need a sync but not its size. */
  demoSize?: DemoSize;
}

export interface AppServer {
  url: string;
  demo: DemoCloud;
  /** Serve another build from now on (tests: a new version of the app). */
  setDistDir(dir: string): void;
  close(): Promise<void>;
}

/**
 * The app's own scripts and styles only; WebAssembly for sql.js; clouds over HTTPS (a user may
 * point Settings at any), or on this machine.
 */
const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'", 'https:', 'http://localhost:*', 'http://127.0.0.1:*'],
  workerSrc: ["'self'"],
  manifestSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Against other web pages. On loopback, a Host that is not a loopback name is a DNS-rebinding
 * page: refused. Anywhere, a request that changes something must come from this origin (its
 * Origin, when a browser sends one, is ours), so a form or fetch on another site cannot post here.
 */
function sameSite(host: string, publicOrigin: string | null): MiddlewareHandler {
  const loopback = LOOPBACK_NAMES.has(host) || host === '::1';
  const publicHost = publicOrigin === null ? null : new URL(publicOrigin).host;
  return async (c, next) => {
    const requestHost = c.req.header('host') ?? new URL(c.req.url).host;
    const name = requestHost.replace(/:\d+$/, '');
    if (loopback && !LOOPBACK_NAMES.has(name) && requestHost !== publicHost) {
      return json(c, 421, 'wrong_host', 'This server answers only to localhost (and FOLIO_PUBLIC_ORIGIN)');
    }
    const origin = c.req.header('origin');
    const changes = !['GET', 'HEAD', 'OPTIONS'].includes(c.req.method);
    const own = `${new URL(c.req.url).protocol}//${requestHost}`;
    if (changes && origin !== undefined && origin !== own && origin !== publicOrigin) {
      return json(c, 403, 'cross_origin', 'Requests that change something must come from this app');
    }
    await next();
  };
}

/** A scenario is a few flags; anything bigger is not one. */
const SCENARIO_MAX_BYTES = 16 * 1024;

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

const fromThisMachine: MiddlewareHandler<{ Bindings: HttpBindings }> = async (c, next) => {
  const address = getConnInfo(c).remote.address ?? '';
  if (!LOOPBACK.has(address)) return c.json({ error: 'not_found', message: 'No such page' }, 404);
  await next();
};

const json = (c: Context, status: 400 | 403 | 404 | 405 | 413 | 415 | 421 | 500, error: string, message: string) =>
  c.json({ error, message }, status);

function demoCloudRoutes(demo: DemoCloud): Hono<{ Bindings: HttpBindings }> {
  const routes = new Hono<{ Bindings: HttpBindings }>();
  routes.post(
    '/__scenario',
    fromThisMachine,
    bodyLimit({
      maxSize: SCENARIO_MAX_BYTES,
      onError: (c) => json(c, 413, 'too_large', 'A scenario is a small JSON object'),
    }),
    async (c) => {
      // A cross-site form can send text/plain without asking first; it cannot send JSON.
      if (!c.req.header('content-type')?.startsWith('application/json')) {
        return json(c, 415, 'unsupported_media_type', 'Send the scenario as application/json');
      }
      const scenario: unknown = await c.req.json().catch(() => null);
      if (typeof scenario !== 'object' || scenario === null || Array.isArray(scenario)) {
        return json(c, 400, 'bad_request', 'The scenario must be a JSON object');
      }
      demo.setScenario(scenario as Partial<DemoScenario>);
      return c.body(null, 204);
    },
  );
  routes.on(['GET', 'DELETE'], '/__requests', fromThisMachine, (c) => {
    if (c.req.method === 'DELETE') demo.requests.length = 0;
    return c.json(demo.requests);
  });
  routes.all(
    '*',
    bodyLimit({
      maxSize: SCENARIO_MAX_BYTES,
      onError: (c) => json(c, 413, 'too_large', 'The demo cloud takes small requests'),
    }),
    async (c) => {
      const response = await getResponse(demo.handlers, c.req.raw);
      if (!response) return json(c, 404, 'not_found', `No route for ${c.req.method} ${c.req.path}`);
      // The scenario "network down": the connection drops without an answer.
      if (response.type === 'error') {
        c.env.incoming.socket.destroy();
        return c.body(null, 500);
      }
      const answer = new Response(response.body, response);
      answer.headers.set('cache-control', 'no-store');
      return answer;
    },
  );
  return routes;
}

/** The app's routes, apart from any socket: the server below listens with them, tests call them directly. */
export function createAppRoutes(
  options: Pick<AppServerOptions, 'distDir' | 'now' | 'demoSize'> & {
    /** The address it listens on; on loopback only loopback host names are answered. */
    host?: string;
    /** The origin browsers reach it at through a reverse proxy (serverConfig.ts). */
    publicOrigin?: string | null;
    /** Serve the built-in demo cloud (default); a server syncing a real cloud does not. */
    serveDemo?: boolean;
    mounts?: Record<string, Hono>;
    /** Where an internal error's details go; the browser is told only that something went wrong. */
    log?: Logger;
  },
) {
  const log = options.log ?? { warn: (message: string) => console.error(message) };
  const demo = createDemoCloud({ now: options.now ?? Date.now, size: options.demoSize ?? 'full' });
  const staticFiles = (dir: string) =>
    serveStatic<{ Bindings: HttpBindings }>({
      root: dir,
      precompressed: true,
      onFound: (path, c) => {
        const name = relative(dir, path);
        // Hashed assets never change; everything else (index.html, sw.js, the manifest) is revalidated.
        c.header('Cache-Control', name.startsWith(`assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
        c.header('Vary', 'Accept-Encoding');
      },
    });
  let files = staticFiles(resolve(options.distDir));

  const app = new Hono<{ Bindings: HttpBindings }>();
  // No referrer leaves this origin; within it, a form post keeps its real Origin (sameSite checks it).
  app.use(secureHeaders({ contentSecurityPolicy: CONTENT_SECURITY_POLICY, referrerPolicy: 'same-origin' }));
  app.use(compress());
  app.use(sameSite(options.host ?? '127.0.0.1', options.publicOrigin ?? null));
  if (options.serveDemo ?? true) app.route(DEMO_CLOUD_PATH, demoCloudRoutes(demo));
  // For a container's health check: answers while the server does, asks for no secret, says nothing.
  app.get('/health', (c) => c.json({ ok: true }));
  for (const [path, routes] of Object.entries(options.mounts ?? {})) app.route(path, routes);
  // Without server mode's API, say so where the app looks for it (src/ui/pwa/serverConnection.ts):
  // the browser syncs by itself. (A plain 404 would do, but shows as an error in the console.)
  if (!options.mounts?.['/api']) app.get('/api/connect/state', (c) => c.json({ mode: 'browser' }));
  app.on(['GET', 'HEAD'], '*', (c, next) => files(c, next));
  app.all('*', (c) =>
    c.req.method === 'GET' || c.req.method === 'HEAD'
      ? json(c, 404, 'not_found', `No file ${c.req.path}`)
      : json(c, 405, 'method_not_allowed', `${c.req.method} is not allowed here`),
  );
  // Nothing internal reaches the browser; the log keeps it.
  app.onError((error, c) => {
    log.warn(
      `${c.req.method} ${c.req.path} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return json(c, 500, 'internal', 'Something went wrong on the server');
  });
  return {
    app,
    demo,
    setDistDir: (dir: string) => {
      files = staticFiles(resolve(dir));
    },
  };
}

export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  const { app, demo, setDistDir } = createAppRoutes(options);
  const server = createAdaptorServer({ fetch: app.fetch }) as Parameters<typeof listen>[0];
  const listening = await listen(server, options.host, options.port);
  return { url: listening.origin, demo, setDistDir, close: listening.close };
}
