/**
 * The cloud as the sync engine sees it: four calls of docs/cloud-protocol.md, answers validated and
 * typed, failures as CloudError. `createCloudClient` is the HTTP implementation; tests and
 * other platforms may hand the engine any other.
 */
import * as v from 'valibot';
import { type AuthSession, type CredentialStore, createAuthSession, NOT_SIGNED_IN } from './authSession.ts';
import { CloudError } from './cloudError.ts';
import { describeIssues, readJson } from './cloudJson.ts';
import {
  AccountsResponseSchema,
  ActivitiesPageSchema,
  ActivitySchema,
  type CloudAccount,
  type CloudActivity,
  type CloudConnection,
  type CloudUser,
  ConnectionsResponseSchema,
  UserSchema,
} from './cloudSchemas.ts';
import type { HttpClient, HttpResponse } from './http.ts';
import { type RetryTimers, sendWithRetry } from './retryPolicy.ts';

interface ActivitiesQuery {
  offset: number;
  limit: number;
  /** `YYYY-MM-DD`; both absent means the whole history. */
  startDate?: string;
  endDate?: string;
}

/** One activity of a page: valid, or dropped with the reason (a warning, not a failure). */
type ActivityItem = { ok: true; activity: CloudActivity } | { ok: false; id: string | null; problem: string };

interface ActivityPage {
  items: ActivityItem[];
  /** The raw first item's id (or content, when it has no id), to detect a server stuck on one page. */
  firstId: string | null;
  hasMore: boolean | null;
  total: number | null;
}

export interface BrokerCloud {
  getUser(): Promise<CloudUser>;
  listConnections(): Promise<CloudConnection[]>;
  listAccounts(): Promise<CloudAccount[]>;
  getActivitiesPage(providerAccountId: string, query: ActivitiesQuery): Promise<ActivityPage>;
}

export interface CloudClientOptions {
  apiUrl: string;
  authUrl: string;
  apiKey: string;
  http: HttpClient;
  timers: RetryTimers;
  credentials: CredentialStore;
  /** Per request (docs/cloud-protocol.md: 30 s). */
  timeoutMs?: number;
}

export const REQUEST_TIMEOUT_MS = 30_000;

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

function toActivityItem(raw: unknown): ActivityItem {
  const parsed = v.safeParse(ActivitySchema, raw);
  const rawId = typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string' ? raw.id : null;
  if (!parsed.success) return { ok: false, id: rawId, problem: describeIssues(parsed.issues) };
  if (!parsed.output.id) return { ok: false, id: null, problem: 'it has no id' };
  return { ok: true, activity: parsed.output };
}

function toActivityPage(body: v.InferOutput<typeof ActivitiesPageSchema>): ActivityPage {
  const list = body.data ?? body.activities ?? body.universalActivities;
  if (list === undefined) {
    throw new CloudError('malformed-response', 'The cloud sent a malformed answer for activities: no activity list');
  }
  const paging = body.pagination ?? body.paginationDetails ?? body.page ?? null;
  const first: unknown = list[0];
  // An item without a usable id is recognised by its whole content instead.
  const firstId =
    first === undefined
      ? null
      : typeof first === 'object' && first !== null && 'id' in first && typeof first.id === 'string'
        ? first.id
        : JSON.stringify(first);
  return {
    items: list.map(toActivityItem),
    firstId,
    hasMore: paging?.has_more ?? null,
    total: paging?.total ?? null,
  };
}

export function createCloudClient(options: CloudClientOptions): BrokerCloud {
  const apiUrl = trimSlash(options.apiUrl);
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const session: AuthSession = createAuthSession({
    authUrl: trimSlash(options.authUrl),
    apiKey: options.apiKey,
    http: options.http,
    timers: options.timers,
    credentials: options.credentials,
    timeoutMs,
  });

  const send = (url: string, token: string): Promise<HttpResponse> =>
    sendWithRetry(
      () =>
        options.http({
          method: 'GET',
          url,
          headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
          timeoutMs,
        }),
      options.timers,
    );

  /** A GET with the access token; on 401, one refresh and one retry (docs/cloud-protocol.md). */
  async function get<S extends v.GenericSchema>(path: string, schema: S, what: string): Promise<v.InferOutput<S>> {
    const url = `${apiUrl}${path}`;
    let token = await session.accessToken();
    let response = await send(url, token);
    if (response.status === 401) {
      session.invalidate(token);
      token = await session.accessToken();
      response = await send(url, token);
      if (response.status === 401) throw new CloudError('not-signed-in', NOT_SIGNED_IN, 401);
    }
    return readJson(response, schema, what);
  }

  return {
    getUser: () => get('/api/v1/user/me', UserSchema, 'your profile'),
    listConnections: async () =>
      (await get('/api/v1/sync/brokerage/connections', ConnectionsResponseSchema, 'connections')).connections,
    listAccounts: async () =>
      (await get('/api/v1/sync/brokerage/accounts', AccountsResponseSchema, 'accounts')).accounts,
    async getActivitiesPage(providerAccountId, query) {
      const params: [string, string | number | undefined][] = [
        ['offset', query.offset],
        ['limit', query.limit],
        ['start_date', query.startDate],
        ['end_date', query.endDate],
      ];
      const search = params
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`)
        .join('&');
      const path = `/api/v1/sync/brokerage/accounts/${encodeURIComponent(providerAccountId)}/activities?${search}`;
      return toActivityPage(await get(path, ActivitiesPageSchema, 'activities'));
    },
  };
}
