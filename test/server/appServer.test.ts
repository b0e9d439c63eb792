/**
 * What `npm start` serves, over real HTTP on 127.0.0.1: precompressed files by content
 * negotiation, caching by kind of file, compressed JSON, security headers with a strict CSP,
 * clear 4xx answers, and demo scenario switches that only this machine, sending JSON, can flip.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppServer, createAppRoutes, startAppServer } from '../../src/server/appServer.ts';
import { precompress } from '../../src/server/precompress.ts';

let dist: string;
let server: AppServer;
const script = `console.log(${JSON.stringify('folio '.repeat(600))});\n`;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'folio-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), `<!doctype html><title>Folio Sync</title>${'<p>folio</p>'.repeat(200)}`);
  writeFileSync(join(dist, 'sw.js'), script);
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), script);
  writeFileSync(join(dist, 'assets', 'tiny-abc123.css'), 'body{}');
  expect(precompress(dist)).toBe(3);
  server = await startAppServer({ distDir: dist, host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await server.close();
  rmSync(dist, { recursive: true, force: true });
});

interface RawResponse {
  status: number;
  headers: { get(name: string): string | null };
  body: Buffer;
  json(): unknown;
}

/** A GET whose body arrives as sent (fetch would decode it). */
function get(path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    request(new URL(path, server.url), { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({
          status: response.statusCode ?? 0,
          headers: { get: (name) => [response.headers[name.toLowerCase()] ?? null].flat()[0] ?? null },
          body,
          json: () => JSON.parse(body.toString()),
        });
      });
    })
      .on('error', reject)
      .end();
  });
}

describe('static files', () => {
  it('sends the brotli copy, else the gzip one, else the file, by Accept-Encoding', async () => {
    const br = await get('/assets/index-abc123.js', { 'accept-encoding': 'gzip, br' });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(br.body).toString()).toBe(script);
    const gzip = await get('/assets/index-abc123.js', { 'accept-encoding': 'gzip' });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(gzip.body).toString()).toBe(script);
    const plain = await get('/assets/index-abc123.js', { 'accept-encoding': 'identity' });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.body.toString()).toBe(script);
    for (const response of [br, gzip, plain]) {
      expect(response.headers.get('vary')).toBe('Accept-Encoding');
      expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    }
  });

  it('caches hashed assets for good and revalidates the rest', async () => {
    expect((await get('/assets/index-abc123.js')).headers.get('cache-control')).toBe(
      'public, max-age=31536000, immutable',
    );
    expect((await get('/assets/tiny-abc123.css')).headers.get('cache-control')).toBe(
      'public, max-age=31536000, immutable',
    );
    expect((await get('/')).headers.get('cache-control')).toBe('no-cache');
    expect((await get('/sw.js')).headers.get('cache-control')).toBe('no-cache');
  });

  it('answers what it cannot serve with a clear 4xx and nothing internal', async () => {
    for (const path of ['/missing.js', '/%', '/..%2f..%2fetc%2fpasswd', '/assets/../../secret']) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(response.json()).toMatchObject({ error: 'not_found' });
    }
    const post = await fetch(new URL('/index.html', server.url), { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
  });

  it('answers an internal error with a generic 500, the details in its log only', async () => {
    const DETAIL = 'SqliteError: database disk image is malformed (/data/folio.sqlite)';
    const failing = new Hono().get('/broken', () => {
      throw new Error(DETAIL);
    });
    const logged: string[] = [];
    const { app } = createAppRoutes({
      distDir: dist,
      host: '127.0.0.1',
      mounts: { '/api': failing },
      log: { warn: (message) => logged.push(message) },
    });
    const local = { incoming: { socket: { remoteAddress: '127.0.0.1', remotePort: 1 } } };
    const response = await app.request('http://localhost/api/broken', undefined, local);
    expect(response.status).toBe(500);
    const said = await response.text();
    expect(JSON.parse(said)).toEqual({ error: 'internal', message: 'Something went wrong on the server' });
    expect(logged.join('\n')).toContain(`GET /api/broken failed: Error: ${DETAIL}`);
  });
});

describe('headers', () => {
  it('sets a strict Content-Security-Policy and the usual protections on every answer', async () => {
    for (const path of ['/', '/assets/index-abc123.js', '/missing', '/demo-cloud/__requests']) {
      const headers = (await get(path)).headers;
      const csp = headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      // Not no-referrer: under it a browser's same-origin form post says `Origin: null`, which reads as cross-site.
      expect(headers.get('referrer-policy')).toBe('same-origin');
    }
  });

  it('compresses JSON on the fly', async () => {
    for (let i = 0; i < 30; i++) await fetch(new URL('/demo-cloud/api/v1/user/me', server.url));
    const response = await get('/demo-cloud/__requests', { 'accept-encoding': 'gzip' });
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(JSON.parse(gunzipSync(response.body).toString())).toHaveLength(30);
  });
});

describe('demo scenario switches', () => {
  const post = (body: string, contentType: string) =>
    fetch(new URL('/demo-cloud/__scenario', server.url), {
      method: 'POST',
      body,
      headers: { 'content-type': contentType },
    });
  const profileStatus = async () => (await fetch(new URL('/demo-cloud/api/v1/user/me', server.url))).status;

  it('take JSON only: a cross-site form sending text/plain changes nothing', async () => {
    expect((await post('{"networkDown": true}', 'text/plain')).status).toBe(415);
    expect(await profileStatus()).toBe(401); // answered (no token), not dropped
    expect((await post('[1]', 'application/json')).status).toBe(400);
    expect((await post('{', 'application/json')).status).toBe(400);
    expect((await post(`{"x": "${'a'.repeat(20_000)}"}`, 'application/json')).status).toBe(413);
    expect((await post('{"networkDown": true}', 'application/json')).status).toBe(204);
    await expect(profileStatus()).rejects.toThrow();
    expect((await post('{}', 'application/json')).status).toBe(204);
    expect(await profileStatus()).toBe(401);
  });

  it('answer no page on another site: not a rebinding host name, not a cross-origin post', async () => {
    const { app } = createAppRoutes({ distDir: dist, host: '127.0.0.1' });
    const local = { incoming: { socket: { remoteAddress: '127.0.0.1', remotePort: 1 } } };
    const scenario = (url: string, headers: Record<string, string> = {}) =>
      app.request(
        new Request(url, {
          method: 'POST',
          body: '{}',
          headers: { 'content-type': 'application/json', ...headers },
        }),
        undefined,
        local,
      );
    expect((await scenario('http://rebind.example:4173/demo-cloud/__scenario')).status).toBe(421);
    expect((await app.request('http://rebind.example:4173/', undefined, local)).status).toBe(421);
    expect(
      (await scenario('http://localhost:4173/demo-cloud/__scenario', { origin: 'https://evil.example' })).status,
    ).toBe(403);
    expect(
      (await scenario('http://localhost:4173/demo-cloud/__scenario', { origin: 'http://localhost:4173' })).status,
    ).toBe(204);
    const big = await app.request(
      new Request('http://localhost:4173/demo-cloud/auth/v1/token?grant_type=refresh_token', {
        method: 'POST',
        body: 'x'.repeat(100_000),
      }),
      undefined,
      local,
    );
    expect(big.status).toBe(413);
  });

  it('are not there for anyone but this machine', async () => {
    const { app } = createAppRoutes({ distDir: dist });
    const from = (address: string) => ({ incoming: { socket: { remoteAddress: address, remotePort: 1 } } });
    const request = () =>
      new Request('http://localhost/demo-cloud/__scenario', {
        method: 'POST',
        body: '{"networkDown": true}',
        headers: { 'content-type': 'application/json' },
      });
    expect((await app.request(request(), undefined, from('192.168.1.20'))).status).toBe(404);
    expect((await app.request('http://localhost/demo-cloud/__requests', undefined, from('10.0.0.7'))).status).toBe(404);
    expect((await app.request(request(), undefined, from('127.0.0.1'))).status).toBe(204);
  });
});
