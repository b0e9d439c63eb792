/**
 * A cloud whose accounts and histories a test writes, speaking docs/cloud-protocol.md through msw
 * handlers, with the faults the correctness tests need: an answer of its own for any activities
 * request (dropped, refused, empty), page sizes, and whatever order the test keeps the history in.
 * Answered without sockets (handlerHttp), so property tests can run many syncs quickly.
 */
import { type HttpHandler, HttpResponse, http, type JsonBodyType } from 'msw';
import type { HttpClient } from '../../src/transport/http.ts';
import { handlerHttp } from './handlerHttp.ts';

export const SCRIPTED_URL = 'https://scripted.folio.test';
export const SCRIPTED_TOKEN = 'scripted-refresh-token';

export type CloudActivityJson = Record<string, unknown> & { id: string | null; trade_date: string };

interface ScriptedAccount {
  id: string;
  name: string;
  currency?: string;
  syncEnabled?: boolean;
  /** `sync_status.transactions.initial_sync_completed`; left out when undefined. */
  initialSyncCompleted?: boolean;
  /** The whole history, in the order the cloud pages it. */
  activities: CloudActivityJson[];
}

interface ActivitiesRequest {
  accountId: string;
  offset: number;
  limit: number;
  startDate: string | null;
  endDate: string | null;
}

export interface ScriptedCloud {
  handlers: HttpHandler[];
  http: HttpClient;
  /** Listed in this order; change freely between syncs. */
  accounts: ScriptedAccount[];
  /** The most activities on one page, whatever `limit` asks. */
  pageSize: number;
  /**
   * Answers an activities request itself when it returns something: a Response (say a 500),
   * `drop` for a connection dropped without an answer, `hang` for one that never answers (the
   * process dies waiting). Undefined: the normal page.
   */
  onActivities: ((request: ActivitiesRequest) => Response | 'drop' | 'hang' | undefined) | null;
  /** No answer to anything: the connection drops at once, as when the device is offline. */
  offline: boolean;
  /** Every request, as `METHOD path`. */
  requests: string[];
  /** Refuses every refresh token from now on, and every access token issued so far. */
  signOut(): void;
  /** What the cloud lists for a request's account and window, in its order. */
  listed(request: Pick<ActivitiesRequest, 'accountId' | 'startDate' | 'endDate'>): CloudActivityJson[];
}

const json = (body: JsonBodyType, status = 200) => HttpResponse.json(body, { status });

export function scriptedCloud(): ScriptedCloud {
  let signedOut = false;
  let issued = 0;
  const cloud: ScriptedCloud = {
    handlers: [],
    http: (request) => handlerHttp({ [SCRIPTED_URL]: cloud.handlers })(request),
    accounts: [],
    pageSize: 1000,
    onActivities: null,
    offline: false,
    requests: [],
    signOut: () => {
      signedOut = true;
    },
    listed: (request) =>
      (cloud.accounts.find((candidate) => candidate.id === request.accountId)?.activities ?? []).filter((activity) => {
        const day = activity.trade_date.slice(0, 10);
        return (!request.startDate || day >= request.startDate) && (!request.endDate || day <= request.endDate);
      }),
  };
  const authorized = (request: Request) =>
    !signedOut && (request.headers.get('authorization') ?? '').startsWith('Bearer scripted-access-');
  const api = (
    path: string,
    answer: (request: Request, params: Record<string, string>) => Promise<Response> | Response,
  ) =>
    http.get(`*${path}`, ({ request, params }) => {
      const url = new URL(request.url);
      cloud.requests.push(`GET ${url.pathname}${url.search}`);
      if (cloud.offline) return HttpResponse.error();
      if (!authorized(request)) return json({ error: 'unauthorized', message: 'Invalid access token' }, 401);
      return answer(request, params as Record<string, string>);
    });

  cloud.handlers = [
    http.post(`*/auth/v1/token`, async ({ request }) => {
      cloud.requests.push('POST /auth/v1/token');
      if (cloud.offline) return HttpResponse.error();
      const body = (await request.json()) as { refresh_token?: string };
      if (signedOut || body.refresh_token !== SCRIPTED_TOKEN) {
        return json({ error: 'invalid_grant', message: 'Invalid Refresh Token' }, 400);
      }
      issued++;
      return json({ access_token: `scripted-access-${issued}`, token_type: 'bearer', expires_in: 3600 });
    }),
    api('/api/v1/user/me', () =>
      json({ id: 'u1', email: 'u@example.com', team: { id: 't1', plan: 'pro', subscriptionStatus: 'active' } }),
    ),
    api('/api/v1/sync/brokerage/connections', () =>
      json({
        connections: [
          { id: 'conn-1', brokerage: { id: 'b1', slug: 'SCRIPTED', name: 'Scripted Broker' }, name: 'Scripted' },
        ],
      }),
    ),
    api('/api/v1/sync/brokerage/accounts', () =>
      json({
        accounts: cloud.accounts.map((account) => ({
          id: account.id,
          name: account.name,
          currency: account.currency ?? 'CAD',
          brokerage_authorization: 'conn-1',
          sync_enabled: account.syncEnabled ?? true,
          ...(account.initialSyncCompleted === undefined
            ? {}
            : { sync_status: { transactions: { initial_sync_completed: account.initialSyncCompleted } } }),
        })),
      }),
    ),
    api('/api/v1/sync/brokerage/accounts/:accountId/activities', async (request, params) => {
      const url = new URL(request.url);
      const query: ActivitiesRequest = {
        accountId: params.accountId ?? '',
        offset: Number(url.searchParams.get('offset') ?? 0),
        limit: Number(url.searchParams.get('limit') ?? 1000),
        startDate: url.searchParams.get('start_date'),
        endDate: url.searchParams.get('end_date'),
      };
      const own = cloud.onActivities?.(query);
      if (own === 'drop') return HttpResponse.error();
      if (own === 'hang') return new Promise<never>(() => undefined);
      if (own) return own;
      const account = cloud.accounts.find((candidate) => candidate.id === query.accountId);
      if (!account) return json({ error: 'not_found', message: `No account ${query.accountId}` }, 404);
      const inWindow = cloud.listed(query);
      const size = Math.min(query.limit, cloud.pageSize);
      const data = inWindow.slice(query.offset, query.offset + size);
      return json({
        data,
        pagination: {
          offset: query.offset,
          limit: size,
          total: inWindow.length,
          has_more: query.offset + size < inWindow.length,
        },
      });
    }),
  ];
  return cloud;
}

/** A trade as the cloud sends it; `fields` override anything. */
export function cloudTrade(id: string, day: string, fields: Record<string, unknown> = {}): CloudActivityJson {
  const units = typeof fields.units === 'number' ? fields.units : 1;
  const price = typeof fields.price === 'number' ? fields.price : 10;
  return {
    id,
    type: 'BUY',
    symbol: { symbol: 'VFV.TO', description: 'Vanguard S&P 500' },
    price,
    units,
    amount: -(units * price),
    fee: 0,
    currency: { code: 'CAD' },
    description: `Bought ${units} VFV.TO`,
    trade_date: `${day}T15:00:00Z`,
    source_system: 'SNAPTRADE',
    source_record_id: `rec-${id}`,
    mapping_metadata: { reasons: [], confidence: 0.99 },
    needs_review: false,
    ...fields,
  };
}
