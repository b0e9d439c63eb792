/**
 * The token lifecycle of docs/cloud-protocol.md, "Authentication": a long-lived refresh token (kept by a
 * CredentialStore) is exchanged for a short-lived access token held in memory only.
 * Concurrent callers share one refresh, because a rotated refresh token may invalidate
 * the old one and a second exchange with it would sign the user out.
 */
import type { Clock } from '../core/clock.ts';
import { CloudError } from './cloudError.ts';
import { readJson } from './cloudJson.ts';
import { TokenResponseSchema } from './cloudSchemas.ts';
import type { HttpClient } from './http.ts';
import { jwtExpiryMs } from './jwtExpiry.ts';
import { type RetryTimers, sendWithRetry } from './retryPolicy.ts';

/** Where the refresh token lives: a settings row, the service worker's store, a CLI flag. */
export interface CredentialStore {
  getRefreshToken(): Promise<string | null>;
  /** Called when the auth server rotates the refresh token; the old one may stop working. */
  setRefreshToken(token: string): Promise<void>;
  /** Called when the auth server refused `token` (400/401): a store may forget it. */
  refused?(token: string): Promise<void>;
}

export interface AuthSessionOptions {
  authUrl: string;
  /** The publishable key sent as `apikey`; omitted when empty. */
  apiKey: string;
  http: HttpClient;
  timers: RetryTimers & { clock: Clock };
  credentials: CredentialStore;
  timeoutMs: number;
}

export interface AuthSession {
  /** A valid access token, refreshing when needed. Rejects with `not-signed-in` when that is impossible. */
  accessToken(): Promise<string>;
  /** Forget `token` (it got a 401), so the next accessToken() refreshes. */
  invalidate(token: string): void;
}

/** Access tokens are treated as expired this long before they say (docs/cloud-protocol.md). */
const EXPIRY_MARGIN_MS = 60_000;
const DEFAULT_LIFETIME_S = 3600;

export const NOT_SIGNED_IN = 'Not connected: sign in to sync your brokers';

/** What a sign-in says when the auth server refused the token, or could not be reached. */
export const REFUSED_TOKEN =
  'The cloud refused this refresh token. Copy a new one from your Wealthfolio Connect account.';
export const unreachableAuth = (authUrl: string): string =>
  `The auth server at ${authUrl} can't be reached. Check the address, or try again when you are online.`;

export function createAuthSession(options: AuthSessionOptions): AuthSession {
  const { clock } = options.timers;
  let cached: { token: string; expiresAt: number } | null = null;
  let refreshing: Promise<string> | null = null;

  async function refresh(): Promise<string> {
    const refreshToken = await options.credentials.getRefreshToken();
    if (!refreshToken) throw new CloudError('not-signed-in', NOT_SIGNED_IN);
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (options.apiKey) headers.apikey = options.apiKey;
    const response = await sendWithRetry(
      () =>
        options.http({
          method: 'POST',
          url: `${options.authUrl}/auth/v1/token?grant_type=refresh_token`,
          headers,
          body: JSON.stringify({ refresh_token: refreshToken }),
          timeoutMs: options.timeoutMs,
        }),
      options.timers,
    );
    if (response.status === 400 || response.status === 401) {
      await options.credentials.refused?.(refreshToken);
      throw new CloudError('not-signed-in', 'Sign-in expired: sign in again to sync your brokers', response.status);
    }
    const body = readJson(response, TokenResponseSchema, 'the token refresh');
    // Keep the rotated token, unless the user signed out or in again while we were asking.
    if (
      body.refresh_token &&
      body.refresh_token !== refreshToken &&
      (await options.credentials.getRefreshToken()) === refreshToken
    ) {
      await options.credentials.setRefreshToken(body.refresh_token);
    }
    const now = clock.now();
    const expiresAt = jwtExpiryMs(body.access_token) ?? now + (body.expires_in ?? DEFAULT_LIFETIME_S) * 1000;
    cached = { token: body.access_token, expiresAt };
    return body.access_token;
  }

  return {
    accessToken() {
      if (cached && clock.now() < cached.expiresAt - EXPIRY_MARGIN_MS) return Promise.resolve(cached.token);
      refreshing ??= refresh().finally(() => {
        refreshing = null;
      });
      return refreshing;
    },
    invalidate(token) {
      if (cached?.token === token) cached = null;
    },
  };
}

/**
 * The refresh token as the auth server accepts it, asking it once: the token it rotated to (the
 * pasted one may then be dead), or the same. Rejects with the CloudError of a refusal
 * (`not-signed-in`) or of an auth server that cannot be reached. A sign-in counts only once this
 * resolved (docs/sync-rules.md, "What the app says").
 */
export async function acceptedRefreshToken(
  options: Omit<AuthSessionOptions, 'credentials'>,
  token: string,
): Promise<string> {
  let current = token;
  const session = createAuthSession({
    ...options,
    credentials: {
      getRefreshToken: () => Promise.resolve(current),
      setRefreshToken: (next) => {
        current = next;
        return Promise.resolve();
      },
    },
  });
  await session.accessToken();
  return current;
}
