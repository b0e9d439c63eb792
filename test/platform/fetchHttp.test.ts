/**
 * The platform's fetch as the cloud client sees it, against real servers on 127.0.0.1: a redirect
 * is not followed, so a credential in the request never reaches the host a 307 names.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchHttp } from '../../src/platform/fetchHttp.ts';

let redirecting: Server;
let flooding: Server;
let elsewhere: Server;
const reachedElsewhere: string[] = [];
const url = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const listen = (server: Server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const body = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = '';
    request.on('data', (chunk) => {
      text += String(chunk);
    });
    request.on('end', () => resolve(text));
  });

beforeAll(async () => {
  elsewhere = createServer(async (request, response) => {
    reachedElsewhere.push(`${request.method} ${request.url} ${await body(request)}`);
    response.end('{}');
  });
  await listen(elsewhere);
  redirecting = createServer((_request, response) => {
    response.writeHead(307, { location: `${url(elsewhere)}/collect` });
    response.end();
  });
  await listen(redirecting);
  // An answer without a length that does not end: it must be cut off, not read into memory.
  flooding = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const pump = () => {
      while (response.write(chunk)) {
        if (response.destroyed) return;
      }
      response.once('drain', pump);
    };
    response.on('close', () => response.removeAllListeners('drain'));
    pump();
  });
  await listen(flooding);
});
afterAll(() => {
  redirecting.close();
  elsewhere.close();
  flooding.closeAllConnections();
  flooding.close();
});

describe('fetch for the cloud client', () => {
  it('does not follow a redirect with the refresh token, and says where it pointed', async () => {
    const http = fetchHttp();
    await expect(
      http({
        method: 'POST',
        url: `${url(redirecting)}/auth/v1/token?grant_type=refresh_token`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: 'secret-refresh-token' }),
        timeoutMs: 5000,
      }),
    ).rejects.toMatchObject({ code: 'request-rejected', status: 307, message: expect.stringContaining('/collect') });
    expect(reachedElsewhere).toEqual([]);
  });

  it('cuts off an answer larger than any the protocol sends, without reading the rest', async () => {
    const http = fetchHttp(undefined, 1024 * 1024);
    await expect(
      http({ method: 'GET', url: `${url(flooding)}/api/v1/sync/brokerage/accounts`, headers: {}, timeoutMs: 10_000 }),
    ).rejects.toMatchObject({ code: 'malformed-response', message: 'The cloud sent an answer larger than 1 MB' });
  });
});
