/**
 * What `npm start` serves: the built PWA, and the built-in demo cloud under /demo-cloud on
 * the same origin, over real HTTP, so the service worker runs the real auth, paging and
 * retry paths against it.
 *
 * The demo cloud also takes its scenario switches at /demo-cloud/__scenario (POST JSON) and
 * shows what it was asked at /demo-cloud/__requests, for tests and for the curious.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { createDemoCloud, type DemoCloud } from '../demo/demoCloud.ts';
import { DEMO_CLOUD_PATH } from '../demo/demoDefaults.ts';
import type { DemoScenario } from '../demo/demoScenario.ts';
import { answerWithHandlers, listen, sendJson } from '../demo/serveHandlers.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

export interface AppServerOptions {
  /** The folder `vite build` wrote. */
  distDir: string;
  host: string;
  port: number;
  /** The demo cloud's clock (tests move it). */
  now?: () => number;
}

export interface AppServer {
  url: string;
  demo: DemoCloud;
  /** Serve another build from now on (tests: a new version of the app). */
  setDistDir(dir: string): void;
  close(): Promise<void>;
}

async function readBody(incoming: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of incoming) body += String(chunk);
  return body;
}

async function demoControl(demo: DemoCloud, incoming: IncomingMessage, outgoing: ServerResponse, path: string) {
  if (path === '/__scenario' && incoming.method === 'POST') {
    try {
      demo.setScenario(JSON.parse((await readBody(incoming)) || '{}') as Partial<DemoScenario>);
      sendJson(outgoing, 204, null);
    } catch {
      sendJson(outgoing, 400, { error: 'bad_request', message: 'The scenario must be a JSON object' });
    }
    return true;
  }
  if (path === '/__requests') {
    if (incoming.method === 'DELETE') demo.requests.length = 0;
    sendJson(outgoing, 200, demo.requests);
    return true;
  }
  return false;
}

async function serveFile(root: string, urlPath: string, outgoing: ServerResponse, method: string) {
  const relative = normalize(decodeURIComponent(urlPath)).replace(/^([/\\])+/, '');
  let file = resolve(root, relative || 'index.html');
  if (file !== root && !file.startsWith(root + sep)) return sendJson(outgoing, 403, { error: 'forbidden' });
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    file = join(file, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info?.isFile()) return sendJson(outgoing, 404, { error: 'not_found', message: `No file ${urlPath}` });
  const name = file.slice(root.length + 1);
  // Hashed assets never change; everything else (index.html, sw.js, the manifest) is revalidated.
  const cache = name.startsWith(`assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache';
  outgoing.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': cache,
  });
  if (method === 'HEAD') outgoing.end();
  else createReadStream(file).pipe(outgoing);
}

export async function startAppServer(options: AppServerOptions): Promise<AppServer> {
  let root = resolve(options.distDir);
  const demo = createDemoCloud({ now: options.now ?? Date.now });
  let origin = '';

  async function route(incoming: IncomingMessage, outgoing: ServerResponse) {
    const url = new URL(incoming.url ?? '/', origin);
    if (url.pathname === DEMO_CLOUD_PATH || url.pathname.startsWith(`${DEMO_CLOUD_PATH}/`)) {
      const path = url.pathname.slice(DEMO_CLOUD_PATH.length);
      if (await demoControl(demo, incoming, outgoing, path)) return;
      await answerWithHandlers(demo.handlers, incoming, outgoing, origin);
      return;
    }
    if (incoming.method !== 'GET' && incoming.method !== 'HEAD') {
      sendJson(outgoing, 405, { error: 'method_not_allowed' });
      return;
    }
    await serveFile(root, url.pathname, outgoing, incoming.method);
  }

  const server = createServer((incoming, outgoing) => {
    route(incoming, outgoing).catch((error: unknown) => {
      if (!outgoing.headersSent) sendJson(outgoing, 500, { error: 'internal', message: String(error) });
      else outgoing.destroy();
    });
  });
  const listening = await listen(server, options.host, options.port);
  origin = listening.origin;
  return {
    url: origin,
    demo,
    setDistDir: (dir) => {
      root = resolve(dir);
    },
    close: listening.close,
  };
}
