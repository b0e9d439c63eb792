/**
 * The built-in demo cloud: msw request handlers that speak docs/cloud-protocol.md, over the generated
 * demo dataset, with switchable faults (demoScenario.ts). The same handlers serve the app's
 * default cloud, the CLI's in-process cloud and the tests, over real HTTP
 * (serveHandlers.ts) or through msw/node.
 */
import Big from 'big.js';
import { delay, type HttpHandler, HttpResponse, http } from 'msw';
import { utcDay } from '../core/clock.ts';
import {
  buildDemoDataset,
  DEMO_HISTORY_START,
  type DemoAccount,
  type DemoDataset,
  type DemoSize,
  demoBalance,
  smallHistoryStart,
} from './demoDataset.ts';
import { DEMO_REFRESH_TOKEN } from './demoDefaults.ts';
import { DEFAULT_SCENARIO, type DemoScenario } from './demoScenario.ts';

const ACCESS_TOKEN_LIFETIME_S = 3600;
const MAX_LOGGED_REQUESTS = 5000;

interface DemoRequest {
  method: string;
  /** Path and query, e.g. `/api/v1/sync/brokerage/accounts/…/activities?offset=0&limit=1000`. */
  path: string;
  status: number;
}

export interface DemoCloud {
  handlers: HttpHandler[];
  /** Replaces the scenario with the defaults overridden by `patch`. */
  setScenario(patch: Partial<DemoScenario>): void;
  /** Every request received, in order, with the status answered (0: connection dropped). */
  readonly requests: DemoRequest[];
  dataset(): DemoDataset;
}

const error = (status: number, code: string, message: string, headers?: Record<string, string>) =>
  HttpResponse.json({ error: code, code, message }, { status, ...(headers ? { headers } : {}) });

export interface DemoCloudOptions {
  now: () => number;
  /**
   * 'full' (the default): the whole history from 2024-12-02, ~5,000 activities.
   * 'small': history from SMALL_HISTORY_DAYS before the day the cloud is created, a few
   * hundred activities, for tests that need a sync but not its size.
   */
  size?: DemoSize;
  /** The first day of history (`YYYY-MM-DD`), overriding `size`: benchmarks ask for decades. */
  historyStart?: string;
}

export function createDemoCloud(options: DemoCloudOptions): DemoCloud {
  const start =
    options.historyStart ?? (options.size === 'small' ? smallHistoryStart(utcDay(options.now())) : DEMO_HISTORY_START);
  let scenario: DemoScenario = { ...DEFAULT_SCENARIO };
  const requests: DemoRequest[] = [];
  const accessTokens = new Map<string, number>();
  const revoked = new Set<string>();
  let issued = 0;
  /** API calls since the scenario was set (`faultFromCall`). */
  let apiCalls = 0;
  let cached: DemoDataset | null = null;

  const dataset = (): DemoDataset => {
    const today = utcDay(options.now());
    if (cached?.today !== today) cached = buildDemoDataset(today, { start });
    return cached;
  };

  const record = (request: Request, response: Response): Response => {
    const url = new URL(request.url);
    // Kept for tests and the curious, not forever: a long-running server must not grow with it.
    if (requests.length >= MAX_LOGGED_REQUESTS) requests.shift();
    requests.push({
      method: request.method,
      path: url.pathname + url.search,
      status: response.type === 'error' ? 0 : response.status,
    });
    return response;
  };

  /** The faults every API call goes through before it is answered; null when none applies. */
  const fault = (request: Request): Response | null => {
    if (apiCalls++ < scenario.faultFromCall) return null;
    if (scenario.networkDown) return HttpResponse.error();
    const token = request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '';
    const expiry = accessTokens.get(token);
    if (expiry === undefined || expiry <= options.now())
      return error(401, 'unauthorized', 'Invalid or expired access token');
    if (scenario.unauthorized > 0) {
      scenario.unauthorized--;
      accessTokens.delete(token);
      return error(401, 'unauthorized', 'Access token revoked');
    }
    if (scenario.rateLimited > 0) {
      scenario.rateLimited--;
      return error(
        429,
        'rate_limited',
        'Too many requests',
        scenario.retryAfter ? { 'retry-after': scenario.retryAfter } : undefined,
      );
    }
    if (scenario.serverErrors > 0) {
      scenario.serverErrors--;
      return error(scenario.serverErrorStatus, 'server_error', 'The service is temporarily unavailable');
    }
    return null;
  };

  const api = (
    path: string,
    answer: (request: Request, params: Record<string, string>) => Promise<Response> | Response,
  ) =>
    http.get(`*${path}`, async ({ request, params }) =>
      record(request, fault(request) ?? (await answer(request, params as Record<string, string>))),
    );

  const accountJson = (account: DemoAccount, today: string) => ({
    id: account.plan.id,
    name: account.plan.name,
    account_number: account.plan.number,
    type: account.plan.type,
    currency: account.plan.currency,
    balance: { total: { amount: demoBalance(account, today), currency: account.plan.currency } },
    brokerage_authorization: account.plan.connectionId,
    institution_name: account.plan.institution,
    created_date: '2024-11-25T00:00:00Z',
    status: 'open',
    raw_type: account.plan.type,
    is_paper: false,
    sync_enabled: account.plan.syncEnabled,
    meta: {},
    sync_status: {
      transactions: {
        initial_sync_completed: true,
        last_successful_sync: `${today}T06:00:00Z`,
        first_transaction_date: account.activities[0]?.trade_date.slice(0, 10) ?? null,
      },
      holdings: {
        initial_sync_completed: true,
        last_successful_sync: `${today}T06:00:00Z`,
        first_transaction_date: null,
      },
    },
  });

  function activitiesPage(request: Request, account: DemoAccount): Response {
    const url = new URL(request.url);
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const limit = Number(url.searchParams.get('limit') ?? 100);
    if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 1) {
      return error(400, 'bad_request', 'offset and limit must be non-negative integers');
    }
    if (scenario.malformedActivities && offset >= scenario.malformedFromOffset) {
      return new HttpResponse('{"data": [{"id": "act-1", "type": "BUY"', {
        headers: { 'content-type': 'application/json' },
      });
    }
    const start = url.searchParams.get('start_date');
    const end = url.searchParams.get('end_date');
    const all = [...account.activities, ...liveTrades(account)].filter((activity) => {
      const day = activity.trade_date.slice(0, 10);
      return (!start || day >= start) && (!end || day <= end);
    });
    const size = Math.min(limit, scenario.maxPageSize);
    let from = scenario.stuckPagination ? 0 : offset;
    if (scenario.duplicateAcrossPages && from > 0) from--;
    let items: Record<string, unknown>[] = all.slice(from, from + size);
    if (scenario.invalidActivity && offset === 0) {
      items = items.map((item, i) => {
        if (i === 1) return { ...item, units: 'lots' };
        if (i === 2) return { ...item, id: null };
        return item;
      });
    }
    const hasMore = scenario.stuckPagination || from + size < all.length;
    const pagination = { offset, limit: size, total: all.length, has_more: hasMore };
    switch (scenario.paging) {
      case 'has-more':
        return HttpResponse.json({ data: items, pagination });
      case 'total-only':
        return HttpResponse.json({ data: items, pagination: { offset, limit: size, total: all.length } });
      case 'until-empty':
        return HttpResponse.json({ data: items });
      case 'legacy':
        return HttpResponse.json({ activities: items, paginationDetails: pagination });
    }
  }

  /** The scenario's `newTrades`, on the first account, dated now. */
  const liveTrades = (account: DemoAccount): (Record<string, unknown> & { trade_date: string })[] => {
    if (account !== dataset().accounts[0]) return [];
    const tradeDate = new Date(options.now()).toISOString();
    return Array.from({ length: scenario.newTrades }, (_, i) => ({
      id: `live-trade-${i + 1}`,
      type: 'BUY',
      symbol: { symbol: 'VFV.TO', description: 'Vanguard S&P 500 Index ETF', currency: { code: 'CAD' } },
      price: 160.25,
      units: i + 1,
      amount: Number(
        new Big('160.25')
          .times(i + 1)
          .neg()
          .toFixed(2),
      ),
      fee: 4.95,
      currency: { code: account.plan.currency },
      description: `Bought ${i + 1} VFV.TO @ 160.25`,
      trade_date: tradeDate,
      source_system: 'SNAPTRADE',
      source_record_id: `live-rec-${i + 1}`,
      mapping_metadata: { reasons: [], confidence: 0.99 },
      needs_review: false,
    }));
  };

  const handlers: HttpHandler[] = [
    http.post('*/auth/v1/token', async ({ request }) => {
      const body = (await request.json().catch(() => null)) as { refresh_token?: unknown } | null;
      const token = typeof body?.refresh_token === 'string' ? body.refresh_token : '';
      if (new URL(request.url).searchParams.get('grant_type') !== 'refresh_token') {
        return record(request, error(400, 'unsupported_grant_type', 'grant_type must be refresh_token'));
      }
      if (scenario.refreshRefused || !token.startsWith('demo-') || revoked.has(token)) {
        return record(request, error(400, 'invalid_grant', 'Invalid Refresh Token: Refresh Token Not Found'));
      }
      // Rotation: a new refresh token each time, and the old one stops working; except the
      // well-known demo token, which every fresh install starts from.
      issued++;
      if (token !== DEMO_REFRESH_TOKEN) revoked.add(token);
      const accessToken = `demo-access-${issued}-${options.now()}`;
      accessTokens.set(accessToken, options.now() + ACCESS_TOKEN_LIFETIME_S * 1000);
      return record(
        request,
        HttpResponse.json({
          access_token: accessToken,
          token_type: 'bearer',
          expires_in: ACCESS_TOKEN_LIFETIME_S,
          refresh_token: `demo-rt-${issued}-${options.now().toString(36)}`,
        }),
      );
    }),
    api('/api/v1/user/me', () =>
      HttpResponse.json({
        id: 'demo-user',
        email: 'demo@example.com',
        fullName: 'Demo Investor',
        team: { id: 'demo-team', plan: scenario.plan, subscriptionStatus: 'active' },
      }),
    ),
    api('/api/v1/sync/brokerage/connections', () =>
      HttpResponse.json({
        connections: dataset().connections.map((connection) => ({
          id: connection.id,
          authorization_id: connection.authorizationId,
          brokerage_name: connection.brokerage.name,
          brokerage_slug: connection.brokerage.slug,
          brokerage: {
            id: connection.brokerage.id,
            name: connection.brokerage.name,
            display_name: connection.brokerage.name,
            slug: connection.brokerage.slug,
            aws_s3_logo_url: null,
            aws_s3_square_logo_url: null,
          },
          disabled: false,
          updated_at: `${dataset().today}T06:00:00Z`,
          name: connection.name,
          status: 'connected',
          type: 'read',
        })),
      }),
    ),
    api('/api/v1/sync/brokerage/accounts', () => {
      const { accounts, today } = dataset();
      return HttpResponse.json({ accounts: accounts.map((account) => accountJson(account, today)) });
    }),
    api('/api/v1/sync/brokerage/accounts/:accountId/activities', async (request, params) => {
      const account = dataset().accounts.find((candidate) => candidate.plan.id === params.accountId);
      if (!account) return error(404, 'not_found', `No account ${params.accountId}`);
      if (scenario.pageDelayMs > 0) await delay(scenario.pageDelayMs);
      if (scenario.failingAccount?.accountId === account.plan.id) {
        const { status } = scenario.failingAccount;
        const wait = status === 429 && scenario.retryAfter ? { 'retry-after': scenario.retryAfter } : undefined;
        return error(status, 'account_error', 'The brokerage rejected this request', wait);
      }
      return activitiesPage(request, account);
    }),
  ];

  return {
    handlers,
    setScenario(patch) {
      scenario = { ...DEFAULT_SCENARIO, ...patch };
      apiCalls = 0;
    },
    requests,
    dataset,
  };
}
