import { describe, expect, it } from 'vitest';
import { type CredentialStore, createAuthSession } from '../../src/transport/authSession.ts';
import type { HttpClient, HttpRequest } from '../../src/transport/http.ts';
import { fakeTime } from '../support/fakeTime.ts';

function memoryCredentials(token: string | null): CredentialStore & { saved: string[] } {
  let current = token;
  const saved: string[] = [];
  return {
    saved,
    getRefreshToken: () => Promise.resolve(current),
    setRefreshToken: (next) => {
      current = next;
      saved.push(next);
      return Promise.resolve();
    },
  };
}

/** An auth server answering each refresh with `answers` in turn, recording the requests. */
function authServer(...answers: { status: number; body: unknown }[]) {
  const requests: HttpRequest[] = [];
  const http: HttpClient = (request) => {
    requests.push(request);
    const next = answers[Math.min(requests.length - 1, answers.length - 1)];
    if (!next) throw new Error('no answer scripted');
    return Promise.resolve({ status: next.status, header: () => null, body: JSON.stringify(next.body) });
  };
  return { http, requests };
}

const tokenBody = (access: string, extra: Record<string, unknown> = {}) => ({
  access_token: access,
  token_type: 'bearer',
  expires_in: 3600,
  ...extra,
});

function session(http: HttpClient, credentials: CredentialStore, time = fakeTime(), apiKey = 'pk_test') {
  return createAuthSession({
    authUrl: 'https://auth.test',
    apiKey,
    http,
    timers: time,
    credentials,
    timeoutMs: 30_000,
  });
}

/** A JWT whose payload is {"exp": exp} (header and signature are not read). */
const jwt = (exp: number) => `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.sig`;

describe('auth session', () => {
  it('exchanges the refresh token as docs/cloud-protocol.md says', async () => {
    const server = authServer({ status: 200, body: tokenBody('at-1') });
    expect(await session(server.http, memoryCredentials('rt-1')).accessToken()).toBe('at-1');
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('https://auth.test/auth/v1/token?grant_type=refresh_token');
    expect(request?.headers.apikey).toBe('pk_test');
    expect(JSON.parse(request?.body ?? '')).toEqual({ refresh_token: 'rt-1' });
  });

  it('sends no apikey header when the key is empty', async () => {
    const server = authServer({ status: 200, body: tokenBody('at-1') });
    await session(server.http, memoryCredentials('rt-1'), fakeTime(), '').accessToken();
    expect(server.requests[0]?.headers).not.toHaveProperty('apikey');
  });

  it('makes no network call without a refresh token, and says not signed in', async () => {
    const server = authServer({ status: 200, body: tokenBody('at-1') });
    await expect(session(server.http, memoryCredentials(null)).accessToken()).rejects.toMatchObject({
      code: 'not-signed-in',
    });
    expect(server.requests).toHaveLength(0);
  });

  it.each([400, 401])('treats a %i from the auth server as not signed in', async (status) => {
    const server = authServer({ status, body: { error: 'invalid_grant' } });
    await expect(session(server.http, memoryCredentials('rt-old')).accessToken()).rejects.toMatchObject({
      code: 'not-signed-in',
    });
  });

  it('stores a rotated refresh token and uses it for the next refresh', async () => {
    const time = fakeTime();
    const credentials = memoryCredentials('rt-1');
    const server = authServer(
      { status: 200, body: tokenBody('at-1', { refresh_token: 'rt-2' }) },
      { status: 200, body: tokenBody('at-2', { refresh_token: 'rt-3' }) },
    );
    const auth = session(server.http, credentials, time);
    await auth.accessToken();
    expect(credentials.saved).toEqual(['rt-2']);
    time.advance(3600_000);
    expect(await auth.accessToken()).toBe('at-2');
    expect(JSON.parse(server.requests[1]?.body ?? '')).toEqual({ refresh_token: 'rt-2' });
    expect(credentials.saved).toEqual(['rt-2', 'rt-3']);
  });

  it('caches the access token in memory until 60 s before expires_in', async () => {
    const time = fakeTime();
    const server = authServer({ status: 200, body: tokenBody('at-1') }, { status: 200, body: tokenBody('at-2') });
    const auth = session(server.http, memoryCredentials('rt'), time);
    await auth.accessToken();
    time.advance(3600_000 - 60_000 - 1);
    expect(await auth.accessToken()).toBe('at-1');
    expect(server.requests).toHaveLength(1);
    time.advance(1);
    expect(await auth.accessToken()).toBe('at-2');
    expect(server.requests).toHaveLength(2);
  });

  it("prefers the JWT's exp claim to expires_in", async () => {
    const time = fakeTime();
    const exp = Math.floor(time.clock.now() / 1000) + 600;
    const server = authServer(
      { status: 200, body: tokenBody(jwt(exp), { expires_in: 3600 }) },
      { status: 200, body: tokenBody('at-2') },
    );
    const auth = session(server.http, memoryCredentials('rt'), time);
    await auth.accessToken();
    time.advance(540_000 - 1);
    await auth.accessToken();
    expect(server.requests).toHaveLength(1);
    time.advance(1);
    expect(await auth.accessToken()).toBe('at-2');
  });

  it('shares one refresh between concurrent callers', async () => {
    const server = authServer({ status: 200, body: tokenBody('at-1', { refresh_token: 'rt-2' }) });
    const auth = session(server.http, memoryCredentials('rt-1'));
    const tokens = await Promise.all([auth.accessToken(), auth.accessToken(), auth.accessToken()]);
    expect(tokens).toEqual(['at-1', 'at-1', 'at-1']);
    expect(server.requests).toHaveLength(1);
  });

  it('refreshes after invalidate() of the current token, but not of an older one', async () => {
    const server = authServer({ status: 200, body: tokenBody('at-1') }, { status: 200, body: tokenBody('at-2') });
    const auth = session(server.http, memoryCredentials('rt'));
    await auth.accessToken();
    auth.invalidate('at-0');
    expect(await auth.accessToken()).toBe('at-1');
    auth.invalidate('at-1');
    expect(await auth.accessToken()).toBe('at-2');
  });

  it('rejects a token answer without an access token as malformed', async () => {
    const server = authServer({ status: 200, body: { token_type: 'bearer' } });
    await expect(session(server.http, memoryCredentials('rt')).accessToken()).rejects.toMatchObject({
      code: 'malformed-response',
    });
  });
});
