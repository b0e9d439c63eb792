import { beforeEach, describe, expect, it } from 'vitest';
import { fetchHttp } from '../../src/platform/fetchHttp.ts';
import { type BrokerCloud, createCloudClient } from '../../src/transport/brokerCloud.ts';
import { API_URL, AUTH_URL, requestLog, useDemoCloud } from '../support/demoCloudMock.ts';
import { fakeTime } from '../support/fakeTime.ts';
import { memoryCredentials } from '../support/memoryCredentials.ts';

const time = fakeTime();
const demo = useDemoCloud(time);

let client: BrokerCloud;
beforeEach(() => {
  time.sleeps.length = 0;
  client = createCloudClient({
    apiUrl: `${API_URL}/`,
    authUrl: AUTH_URL,
    apiKey: '',
    http: fetchHttp(),
    timers: time,
    credentials: memoryCredentials(),
    timeoutMs: 1000,
  });
});

const firstAccountId = () => demo.dataset().accounts[0]?.plan.id ?? '';

describe('cloud client', () => {
  it('lists connections and accounts with their documented fields', async () => {
    const connections = await client.listConnections();
    expect(connections).toHaveLength(3);
    expect(connections[0]).toMatchObject({ brokerage: { slug: 'QUESTRADE' }, name: 'My Questrade' });
    const accounts = await client.listAccounts();
    expect(accounts).toHaveLength(5);
    expect(accounts.filter((account) => account.sync_enabled === false)).toHaveLength(1);
    expect(accounts[0]?.balance?.total?.amount).toMatch(/^\d+(\.\d+)?$/);
  });

  it('pages activities with offset, limit and the date window', async () => {
    demo.setScenario({ maxPageSize: 10 });
    const page = await client.getActivitiesPage(firstAccountId(), {
      offset: 10,
      limit: 1000,
      startDate: '2025-01-01',
      endDate: '2025-12-31',
    });
    expect(page.items).toHaveLength(10);
    expect(page.hasMore).toBe(true);
    expect(page.total).toBeGreaterThan(100);
    const request = demo.requests.at(-1)?.path ?? '';
    expect(request).toContain('offset=10&limit=1000&start_date=2025-01-01&end_date=2025-12-31');
    for (const item of page.items) {
      expect(item.ok && item.activity.trade_date?.startsWith('2025')).toBe(true);
    }
  });

  it('reads the older field names (activities, paginationDetails)', async () => {
    demo.setScenario({ paging: 'legacy', maxPageSize: 5 });
    const page = await client.getActivitiesPage(firstAccountId(), { offset: 0, limit: 1000 });
    expect(page.items).toHaveLength(5);
    expect(page.hasMore).toBe(true);
  });

  it('keeps decimals exact, as strings', async () => {
    const page = await client.getActivitiesPage(firstAccountId(), { offset: 0, limit: 1000 });
    const buy = page.items.find((item) => item.ok && item.activity.type === 'BUY');
    expect(buy?.ok && buy.activity.price).toMatch(/^\d+(\.\d{1,2})?$/);
  });

  it('on a 401, refreshes once and retries once', async () => {
    demo.setScenario({ unauthorized: 1 });
    await client.getUser();
    expect(requestLog(demo)).toEqual([
      'POST /auth/v1/token 200',
      'GET /api/v1/user/me 401',
      'POST /auth/v1/token 200',
      'GET /api/v1/user/me 200',
    ]);
  });

  it('a second 401 means not signed in', async () => {
    demo.setScenario({ unauthorized: 2 });
    await expect(client.getUser()).rejects.toMatchObject({ code: 'not-signed-in' });
  });

  it('a refused refresh means not signed in', async () => {
    demo.setScenario({ refreshRefused: true });
    await expect(client.listAccounts()).rejects.toMatchObject({ code: 'not-signed-in' });
    expect(requestLog(demo)).toEqual(['POST /auth/v1/token 400']);
  });

  it('gives up on 429 after the retries, as "Rate limited by the cloud"', async () => {
    demo.setScenario({ rateLimited: 10 });
    await expect(client.listConnections()).rejects.toMatchObject({
      code: 'rate-limited',
      message: 'Rate limited by the cloud',
    });
    expect(time.sleeps).toEqual([500, 1000, 2000]);
  });

  it('says how long a 429 asked to wait, so the app can say when to try again', async () => {
    demo.setScenario({ rateLimited: 10, retryAfter: '90' });
    await expect(client.listConnections()).rejects.toMatchObject({
      code: 'rate-limited',
      message: 'Rate limited by the cloud: it asks to wait 90 s',
    });
    // Longer than a retry may wait: said at once instead of after three early retries.
    expect(time.sleeps).toEqual([]);
    expect(demo.requests.filter((request) => request.status === 429)).toHaveLength(1);
  });

  it('gives up on 5xx after three retries, naming the status', async () => {
    demo.setScenario({ serverErrors: 10, serverErrorStatus: 502 });
    await expect(client.listConnections()).rejects.toMatchObject({
      code: 'server-error',
      message: expect.stringContaining('HTTP 502'),
    });
    expect(demo.requests.filter((request) => request.status === 502)).toHaveLength(4);
  });

  it("shows a 4xx's own message without retrying", async () => {
    await expect(client.getActivitiesPage('no-such-account', { offset: 0, limit: 1000 })).rejects.toMatchObject({
      code: 'request-rejected',
      message: 'No account no-such-account',
      status: 404,
    });
    expect(time.sleeps).toEqual([]);
  });

  it('reports a dropped connection as a network error, without retrying', async () => {
    demo.setScenario({ networkDown: true });
    await expect(client.getUser()).rejects.toMatchObject({ code: 'network', message: 'Network unavailable' });
    expect(demo.requests.filter((request) => request.path.startsWith('/api'))).toHaveLength(1);
  });

  it('rejects broken JSON as a malformed answer', async () => {
    demo.setScenario({ malformedActivities: true });
    await expect(client.getActivitiesPage(firstAccountId(), { offset: 0, limit: 1000 })).rejects.toMatchObject({
      code: 'malformed-response',
      message: 'The cloud sent a malformed answer for activities: not JSON',
    });
  });

  it('drops single bad activities with the reason, keeping the rest of the page', async () => {
    demo.setScenario({ invalidActivity: true, maxPageSize: 10 });
    const page = await client.getActivitiesPage(firstAccountId(), { offset: 0, limit: 1000 });
    expect(page.items.filter((item) => item.ok)).toHaveLength(8);
    expect(page.items.filter((item) => !item.ok).map((item) => !item.ok && item.problem)).toEqual([
      expect.stringContaining('units'),
      'it has no id',
    ]);
  });

  it('times out a request that does not answer in time', async () => {
    demo.setScenario({ pageDelayMs: 3000 });
    await expect(client.getActivitiesPage(firstAccountId(), { offset: 0, limit: 1000 })).rejects.toMatchObject({
      code: 'timeout',
      message: 'The cloud did not answer within 1 s',
    });
  });
});
