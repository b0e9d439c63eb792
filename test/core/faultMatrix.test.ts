/**
 * The fault matrix: every fault the demo cloud can play, at every phase of a sync (the refresh,
 * the profile, the connections, the accounts, a page of activities), alone and in seeded random
 * pairs, synced one after another into one database by the engine over real sql.js and the cloud
 * client over msw/node. After each sync what must always hold holds (nothing RUNNING, each stored
 * activity once, holdings equal to a recompute); after a final clean sync the database holds
 * exactly the cloud's activities (docs/sync-rules.md, "Failures" and "After a crash").
 * `FOLIO_FAULT_PAIRS` sets how many random pairs are tried (24 by default).
 */
import 'fake-indexeddb/auto';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_REFRESH_TOKEN } from '../../src/demo/demoDefaults.ts';
import type { DemoScenario } from '../../src/demo/demoScenario.ts';
import { seededRandom } from '../../src/demo/random.ts';
import { setSetting } from '../../src/storage/settings.ts';
import type { SqlDatabase } from '../../src/storage/sqlDatabase.ts';
import { listAccounts } from '../../src/storage/views.ts';
import { useDemoCloud } from '../support/demoCloudMock.ts';
import { fakeTime } from '../support/fakeTime.ts';
import { createHarness } from '../support/syncHarness.ts';
import { expectHoldingsRecomputed, expectNothingRunning } from '../support/syncInvariants.ts';

const time = fakeTime();
const demo = useDemoCloud(time, 'small');

/** Where in a sync a fault starts: the API call it starts at (demoScenario.ts `faultFromCall`). */
const PHASES = { profile: 0, connections: 1, accounts: 2, 'first page': 3, 'a later page': 6 } as const;

/** Each fault the demo cloud plays, as a scenario; small pages so an account has several. */
const FAULTS: Record<string, Partial<DemoScenario>> = {
  'refresh refused': { refreshRefused: true, unauthorized: 1 },
  '401 once': { unauthorized: 1 },
  '429 within the retries': { rateLimited: 2 },
  '429 beyond the retries': { rateLimited: 4 },
  '429 with Retry-After': { rateLimited: 4, retryAfter: '30' },
  '5xx burst within the retries': { serverErrors: 3 },
  '5xx beyond the retries': { serverErrors: 4 },
  'dropped connections': { networkDown: true },
  'malformed JSON': { malformedActivities: true, malformedFromOffset: 20 },
  'invalid activities': { invalidActivity: true },
  'an id repeated across pages': { duplicateAcrossPages: true },
  'a stuck page': { stuckPagination: true },
  'a slow page': { pageDelayMs: 5 },
  'an empty first page': { paging: 'until-empty' },
  'paging by total only': { paging: 'total-only' },
  'older field names': { paging: 'legacy' },
};

/** Phase-independent faults (they are about activity pages) are tried once, not at every phase. */
const PAGE_ONLY = new Set(['malformed JSON', 'invalid activities', 'an id repeated across pages', 'a stuck page']);

const tried: string[] = [];
let survived = 0;
/** Syncs a fault made fail, skip, or fail an account. */
let bitten = 0;

/** What must hold after any sync, whatever it met. */
function expectSound(db: SqlDatabase, what: string): void {
  expectNothingRunning(db);
  expectHoldingsRecomputed(db);
  const stored = db.all<{ n: number; distinct_ids: number }>(
    'SELECT COUNT(*) AS n, COUNT(DISTINCT account_id || char(0) || provider_activity_id) AS distinct_ids FROM activities',
  )[0];
  expect(stored?.n, `${what}: each activity once`).toBe(stored?.distinct_ids);
  for (const account of listAccounts(db)) {
    expect([null, 'IDLE', 'NEEDS_REVIEW', 'FAILED'], `${what}: ${account.name}`).toContain(account.syncStatus);
  }
}

describe('the fault matrix', () => {
  it('survives every fault at every phase, alone and in pairs, and a clean sync then holds exactly the cloud', async () => {
    const h = await createHarness(time);
    const pairs = Number(process.env.FOLIO_FAULT_PAIRS ?? 24);
    const random = seededRandom('fault matrix');
    const { pick } = random;

    const cases: { name: string; scenario: Partial<DemoScenario> }[] = [];
    for (const [fault, scenario] of Object.entries(FAULTS)) {
      const phases = PAGE_ONLY.has(fault)
        ? (['first page'] as const)
        : (Object.keys(PHASES) as (keyof typeof PHASES)[]);
      for (const phase of phases) {
        cases.push({ name: `${fault} at the ${phase}`, scenario: { ...scenario, faultFromCall: PHASES[phase] } });
      }
    }
    const names = Object.keys(FAULTS);
    for (let i = 0; i < pairs; i++) {
      const [a, b] = [pick(names), pick(names)];
      const phase = pick(Object.keys(PHASES) as (keyof typeof PHASES)[]);
      cases.push({
        name: `${a} and ${b} at the ${phase}`,
        scenario: { ...FAULTS[a], ...FAULTS[b], faultFromCall: PHASES[phase] },
      });
    }

    for (const { name, scenario } of cases) {
      tried.push(name);
      // Each sync may be a new one's first: new trades, a day later, against any history so far.
      demo.setScenario({ maxPageSize: 10, newTrades: random.int(0, 2), ...scenario });
      time.advance(2 * 60 * 60_000);
      const result = await h.sync('manual');
      expect(result.message, name).toBeTruthy();
      if (!result.success || result.skipped || result.accounts.some((account) => account.status === 'FAILED')) bitten++;
      expectSound(h.db, name);
      // A refused token is forgotten (settingsCredentials.ts); the user signs in again.
      setSetting(h.db, 'cloud.refreshToken', DEMO_REFRESH_TOKEN);
      survived++;
    }

    // The faults were real: many of these syncs failed, skipped, or failed an account (the others
    // met faults a sync rides out: retries that succeed, slow or oddly paged answers).
    expect(bitten).toBeGreaterThan(cases.length / 3);

    demo.setScenario({});
    time.advance(2 * 60 * 60_000);
    const clean = await h.sync('manual');
    expect(clean).toMatchObject({ success: true, skipped: null });
    expectSound(h.db, 'the clean sync');
    // Exactly the cloud's activities: every one it lists now, and no other (the live trades
    // earlier syncs saw are the cloud's no more, and stay as the history the user has).
    for (const account of demo.dataset().accounts.filter((candidate) => candidate.plan.syncEnabled)) {
      const stored = new Set(
        h.db
          .all<{ id: string }>('SELECT provider_activity_id AS id FROM activities WHERE account_id = ?', [
            account.plan.id,
          ])
          .map((row) => row.id),
      );
      const missing = account.activities.map((activity) => String(activity.id)).filter((id) => !stored.has(id));
      expect(missing, `${account.plan.name}: activities of the cloud not stored`).toEqual([]);
    }
  }, 120_000);
});

afterAll(() => {
  // biome-ignore lint/suspicious/noConsole: the run's log says how many faults were tried
  console.log(`fault matrix: faults tried ${tried.length}, survived ${survived} (${bitten} of them cut a sync short)`);
});
