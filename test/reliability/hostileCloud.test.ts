/**
 * The cloud is untrusted. Names and descriptions with markup and script, reordering marks and
 * megabytes of text; numbers past any range, NaN, 40 digits; impossible dates; ids with quotes;
 * deeply nested JSON; pages of 10 MB and of more than the client takes. Served over real HTTP
 * into the engine over sql.js: nothing crashes, the database stays sound, a bad record is
 * dropped and counted on its account, an answer too large is refused with a clear error, and
 * text is stored as the text it is (the pages show it as text: test/e2e/hostileData.test.ts).
 */
import 'fake-indexeddb/auto';
import { HttpResponse, http } from 'msw';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HandlerServer, serveHandlers } from '../../src/demo/serveHandlers.ts';
import { fetchHttp } from '../../src/platform/fetchHttp.ts';
import { countActivities, getActivity, listAccounts } from '../../src/storage/views.ts';
import { fakeTime } from '../support/fakeTime.ts';
import { cloudTrade, SCRIPTED_TOKEN, type ScriptedCloud, scriptedCloud } from '../support/scriptedCloud.ts';
import { createHarness, type Harness } from '../support/syncHarness.ts';
import { expectHoldingsRecomputed, expectNothingRunning } from '../support/syncInvariants.ts';

const time = fakeTime();
const MARKUP = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
const REORDERED = 'Bought \u202egnp.exe';

let cloud: ScriptedCloud;
let served: HandlerServer;
beforeEach(() => {
  time.set('2026-11-28T12:00:00.000Z');
  cloud = scriptedCloud();
});
afterEach(() => served?.close());

async function harness(): Promise<Harness> {
  served = await serveHandlers(cloud.handlers);
  return createHarness(time, { refreshToken: SCRIPTED_TOKEN, cloud: { url: served.url, http: fetchHttp() } });
}

const sound = (h: Harness) => {
  expect(h.db.get<{ integrity_check: string }>('PRAGMA integrity_check')?.integrity_check).toBe('ok');
  expectNothingRunning(h.db);
  expectHoldingsRecomputed(h.db);
};

/** 200,000 levels of arrays, as JSON text. */
const deeplyNested = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;

describe('hostile cloud data', () => {
  it('stores text as text, drops and counts what is not a record, and stays sound', async () => {
    cloud.accounts = [
      {
        id: `acc-"quoted'-1`,
        name: `${MARKUP} TFSA`,
        activities: [
          cloudTrade(`id-with-"quotes'-and;--`, '2026-11-02', { description: MARKUP }),
          cloudTrade('reordered', '2026-11-03', { description: REORDERED, symbol: { symbol: `VFV${REORDERED}` } }),
          cloudTrade('megabyte', '2026-11-04', { description: 'x'.repeat(1024 * 1024) }),
          cloudTrade('negative', '2026-11-05', { units: -5 }),
          // Each of these is no record: dropped with a warning on the account.
          cloudTrade('too-big', '2026-11-06', { units: '1e309' }),
          cloudTrade('not-a-number', '2026-11-07', { units: 'NaN' }),
          cloudTrade('forty-digits', '2026-11-08', { units: '1234567890123456789012345678901234567890' }),
          cloudTrade('no-such-day', '2026-11-09', { trade_date: '2026-02-30T15:00:00Z' }),
          cloudTrade('year-ten-thousand', '2026-11-10', { trade_date: '10000-01-01T00:00:00Z' }),
        ],
      },
    ];
    const h = await harness();
    const result = await h.sync();
    expect(result.success).toBe(true);
    const [outcome] = result.accounts;
    expect(outcome).toMatchObject({ status: 'IDLE', fetched: 9, inserted: 4, warnings: 5 });
    expect(getActivity(h.db, `id-with-"quotes'-and;--`)?.description).toBe(MARKUP);
    expect(getActivity(h.db, 'reordered')?.description).toBe(REORDERED);
    expect(listAccounts(h.db)[0]?.name).toBe(`${MARKUP} TFSA`);
    for (const dropped of ['too-big', 'not-a-number', 'forty-digits', 'no-such-day', 'year-ten-thousand']) {
      expect(getActivity(h.db, dropped), dropped).toBeUndefined();
    }
    sound(h);
  });

  it('takes a 10 MB page and deeply nested JSON, and refuses an answer larger than it reads, saying so', async () => {
    // A page of 10 MB: 40 activities of 250 KB of description each.
    cloud.accounts = [
      {
        id: 'acc-1',
        name: 'TFSA',
        activities: Array.from({ length: 40 }, (_, i) =>
          cloudTrade(`big-${i}`, '2026-11-02', { description: 'y'.repeat(250 * 1024) }),
        ),
      },
      { id: 'acc-2', name: 'RRSP', activities: [cloudTrade('nested', '2026-11-03')] },
    ];
    const nested = http.get('*/accounts/acc-2/activities', () =>
      HttpResponse.text(
        `{"data": [${JSON.stringify(cloudTrade('nested', '2026-11-03')).replace(/}$/, `, "extra": ${deeplyNested}}`)}], "pagination": {"has_more": false}}`,
        { headers: { 'content-type': 'application/json' } },
      ),
    );
    cloud.handlers.unshift(nested);
    const h = await harness();
    const first = await h.sync();
    expect(first.accounts.map((account) => [account.accountName, account.status, account.inserted])).toEqual([
      ['TFSA', 'IDLE', 40],
      ['RRSP', 'IDLE', 1],
    ]);
    sound(h);

    // 17 MB in one page: more than the client reads. The account fails with the reason; nothing of it is stored.
    cloud.accounts[0]?.activities.push(
      ...Array.from({ length: 17 }, (_, i) =>
        cloudTrade(`huge-${i}`, '2026-11-27', { description: 'z'.repeat(1024 * 1024) }),
      ),
    );
    time.advance(2 * 60 * 60_000);
    const second = await h.sync();
    const tfsa = second.accounts.find((account) => account.accountName === 'TFSA');
    expect(tfsa).toMatchObject({ status: 'FAILED', inserted: 0 });
    expect(tfsa?.error).toMatch(/too large|MB/i);
    expect(countActivities(h.db, { accountId: 'acc-1' })).toBe(40);
    sound(h);
  }, 60_000);
});
