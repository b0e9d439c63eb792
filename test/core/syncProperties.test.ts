/**
 * Property: whatever the cloud and the clock did before, one clean sync leaves the stored set
 * equal to the cloud's (less what the user deleted), holdings equal to a recompute from scratch,
 * and nothing RUNNING. Random histories and sequences of syncs (fast-check) through the real
 * engine, real sql.js and the real cloud client, against a scripted cloud: pages reordered and
 * resized, ids repeated across accounts, identical twins, overlapping and empty pages, invalid
 * records, dropped connections and server errors, a list that shifts while it is paged, a cloud
 * still importing, and a device clock that runs ahead or behind. See docs/sync-rules.md for the rules this holds the engine to.
 */
import fc from 'fast-check';
import { HttpResponse } from 'msw';
import { afterAll, describe, expect, it } from 'vitest';
import { DAY_MS, utcDay } from '../../src/core/clock.ts';
import { deleteActivity } from '../../src/storage/activities.ts';
import { countActivities, listActivities } from '../../src/storage/views.ts';
import { fakeTime } from '../support/fakeTime.ts';
import {
  type CloudActivityJson,
  cloudTrade,
  SCRIPTED_TOKEN,
  SCRIPTED_URL,
  type ScriptedCloud,
  scriptedCloud,
} from '../support/scriptedCloud.ts';
import { createHarness, type Harness } from '../support/syncHarness.ts';
import { expectHoldingsRecomputed, expectNothingRunning } from '../support/syncInvariants.ts';

/** Runs per property; `FOLIO_PROPERTY_RUNS` raises it for a longer hunt. */
const RUNS = Number(process.env.FOLIO_PROPERTY_RUNS ?? 60);
const START = Date.parse('2026-11-01T09:00:00.000Z');
const ACCOUNTS = ['acc-1', 'acc-2'] as const;

/** Content from a small space, so identical twins (same day, same content, other id) happen often. */
const contentArb = fc.record({
  type: fc.constantFrom('BUY', 'BUY', 'SELL', 'DEPOSIT', 'DIVIDEND'),
  units: fc.constantFrom(1, 2),
  price: fc.constantFrom(10, 11),
});
type Content = { type: string; units: number; price: number };

/** Ids from a small shared pool: the same id turns up in both accounts. */
const idArb = fc.constantFrom(...Array.from({ length: 12 }, (_, i) => `x${i}`));

const faultArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'none' as const }) },
  fc.record({
    kind: fc.constantFrom('drop' as const, 'error' as const, 'empty' as const, 'malformed' as const),
    account: fc.constantFrom(...ACCOUNTS),
    page: fc.nat(2),
  }),
  // The list shifts while it is paged (the server's offsets fall behind, or activities were posted at
  // the top of a newest-first list): from some page on, each page starts `by` items earlier.
  fc.record({
    kind: fc.constant('shift' as const),
    fromPage: fc.integer({ min: 1, max: 2 }),
    by: fc.constantFrom(1, 2, 3),
  }),
);

const stepArb = fc.record({
  advanceHours: fc.integer({ min: 0, max: 60 }),
  posts: fc.array(fc.record({ account: fc.constantFrom(...ACCOUNTS), id: idArb, content: contentArb }), {
    maxLength: 3,
  }),
  shuffle: fc.option(fc.record({ account: fc.constantFrom(...ACCOUNTS), seed: fc.integer() }), { nil: undefined }),
  pageSize: fc.integer({ min: 1, max: 4 }),
  finishImport: fc.boolean(),
  deleteLocal: fc.option(fc.nat(20), { nil: undefined }),
  /** The device clock's error during this sync, in days: behind, right, or ahead. */
  skewDays: fc.constantFrom(0, 0, 0, -2, 3, 40),
  fault: faultArb,
});

const scenarioArb = fc.record({
  histories: fc.record({
    'acc-1': fc.array(fc.record({ id: idArb, dayBack: fc.nat(25), content: contentArb }), { maxLength: 8 }),
    'acc-2': fc.array(fc.record({ id: idArb, dayBack: fc.nat(25), content: contentArb }), { maxLength: 8 }),
  }),
  /** Accounts whose history the cloud is still importing at first: empty, and flagged incomplete. */
  importing: fc.subarray([...ACCOUNTS]),
  /** Records the cloud always sends broken (no id, or units that are not a number): dropped, never stored. */
  broken: fc.array(fc.record({ account: fc.constantFrom(...ACCOUNTS), kind: fc.constantFrom('no-id', 'bad-units') }), {
    maxLength: 2,
  }),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 6 }),
  /** How long after the last step the clean sync runs: soon, or after any skewed cursor has passed. */
  finalAdvanceHours: fc.constantFrom(2, 5 * 24, 45 * 24),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

const trade = (id: string, at: number, content: Content): CloudActivityJson =>
  cloudTrade(id, utcDay(at), {
    type: content.type,
    units: content.units,
    price: content.price,
    amount: content.type === 'BUY' ? -(content.units * content.price) : content.units * content.price,
    trade_date: new Date(at).toISOString(),
    description: `${content.type} ${content.units}`,
  });

function shuffled<T>(items: T[], seed: number): T[] {
  const copy = [...items];
  let state = seed >>> 0 || 1;
  for (let i = copy.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** The cloud's world: each account's full history, ids unique within an account, dated by true time. */
class World {
  readonly histories = new Map<string, CloudActivityJson[]>();
  readonly importing = new Set<string>();
  readonly broken: CloudActivityJson[][] = [];
  /** (account, cloud id) the user deleted. */
  readonly deleted = new Set<string>();

  constructor(
    scenario: Scenario,
    readonly cloud: ScriptedCloud,
  ) {
    for (const account of ACCOUNTS) {
      const history: CloudActivityJson[] = [];
      for (const { id, dayBack, content } of scenario.histories[account]) {
        if (history.some((activity) => activity.id === id)) continue;
        history.push(trade(id, START - (dayBack + 1) * DAY_MS, content));
      }
      this.histories.set(account, history);
    }
    for (const account of scenario.importing) this.importing.add(account);
    for (const [i, { account, kind }] of scenario.broken.entries()) {
      const record = trade(`broken-${i}`, START - 3 * DAY_MS, { type: 'BUY', units: 1, price: 10 });
      this.history(account).push(kind === 'no-id' ? { ...record, id: null } : { ...record, units: 'lots' });
    }
    this.publish();
  }

  history(account: string): CloudActivityJson[] {
    return this.histories.get(account) ?? [];
  }

  /** What the cloud lists now. */
  publish(): void {
    this.cloud.accounts = ACCOUNTS.map((account) => ({
      id: account,
      name: account,
      activities: this.importing.has(account) ? [] : this.history(account),
      ...(this.importing.has(account) ? { initialSyncCompleted: false } : {}),
    }));
  }

  /** What the stored set must be after a clean sync: every valid record the cloud lists, less the user's deletions. */
  expected(account: string): string[] {
    if (this.importing.has(account)) return [];
    return this.history(account)
      .filter((activity) => activity.id !== null && typeof activity.units === 'number')
      .map((activity) => String(activity.id))
      .filter((id) => !this.deleted.has(`${account}/${id}`))
      .sort();
  }
}

/** Makes the next sync's activities answers go wrong in one way. */
function injectFault(cloud: ScriptedCloud, fault: Scenario['steps'][number]['fault']): void {
  if (fault.kind === 'none') {
    cloud.onActivities = null;
    return;
  }
  if (fault.kind === 'shift') {
    cloud.onActivities = (request) => {
      if (request.offset < fault.fromPage * cloud.pageSize) return undefined;
      const inWindow = cloud.listed(request);
      const size = Math.min(request.limit, cloud.pageSize);
      const from = Math.max(0, request.offset - fault.by);
      return HttpResponse.json({
        data: inWindow.slice(from, from + size),
        pagination: { offset: request.offset, total: inWindow.length, has_more: from + size < inWindow.length },
      });
    };
    return;
  }
  cloud.onActivities = (request) => {
    if (request.accountId !== fault.account || request.offset !== fault.page * cloud.pageSize) return undefined;
    switch (fault.kind) {
      case 'drop':
        return 'drop';
      case 'error':
        return HttpResponse.json({ error: 'unavailable' }, { status: 503 });
      case 'malformed':
        return new HttpResponse('{"data": [', { headers: { 'content-type': 'application/json' } });
      case 'empty':
        return HttpResponse.json({ data: [], pagination: { offset: request.offset, has_more: true } });
    }
  };
}

const storedIds = (h: Harness, account: string): string[] =>
  listActivities(h.db, { accountId: account }, { limit: 10_000, offset: 0 })
    .map((row) => row.id)
    .map(
      (id) => h.db.get<{ p: string }>('SELECT provider_activity_id AS p FROM activities WHERE id = ?', [id])?.p ?? id,
    )
    .sort();

let cases = 0;
let syncs = 0;
afterAll(() => {
  // biome-ignore lint/suspicious/noConsole: the run's log says how many cases were tried
  console.log(`sync properties: ${cases} random scenarios tried, ${syncs} syncs in all`);
});

describe('sync properties', () => {
  it(
    "one clean sync after any history: the cloud's set, holdings from scratch, nothing RUNNING",
    async () => {
      await fc.assert(
        fc.asyncProperty(scenarioArb, async (scenario) => {
          cases++;
          const time = fakeTime(new Date(START).toISOString());
          let trueNow = START;
          const cloud = scriptedCloud();
          const world = new World(scenario, cloud);
          const h = await createHarness(time, {
            refreshToken: SCRIPTED_TOKEN,
            cloud: { url: SCRIPTED_URL, http: cloud.http },
          });
          const sync = async (skewDays: number) => {
            time.set(new Date(trueNow + skewDays * DAY_MS).toISOString());
            syncs++;
            const result = await h.sync('manual');
            expect(result.skipped).toBeNull();
            expectNothingRunning(h.db);
          };

          for (const step of scenario.steps) {
            trueNow += step.advanceHours * 60 * 60 * 1000;
            for (const post of step.posts) {
              const history = world.history(post.account);
              if (history.some((activity) => activity.id === post.id)) continue;
              history.push(trade(post.id, trueNow, post.content));
            }
            if (step.shuffle)
              world.histories.set(
                step.shuffle.account,
                shuffled(world.history(step.shuffle.account), step.shuffle.seed),
              );
            if (step.finishImport) world.importing.clear();
            if (step.deleteLocal !== undefined) {
              const rows = listActivities(h.db, {}, { limit: 10_000, offset: 0 });
              const row = rows[step.deleteLocal % Math.max(rows.length, 1)];
              if (row) {
                const stored = h.db.get<{ account_id: string; p: string }>(
                  'SELECT account_id, provider_activity_id AS p FROM activities WHERE id = ?',
                  [row.id],
                );
                deleteActivity(h.db, row.id, time.iso());
                if (stored) world.deleted.add(`${stored.account_id}/${stored.p}`);
              }
            }
            world.publish();
            cloud.pageSize = step.pageSize;
            injectFault(cloud, step.fault);
            await sync(step.skewDays);
          }

          // The clean sync: the clock right, no fault.
          cloud.onActivities = null;
          trueNow += 2 * 60 * 60 * 1000;
          await sync(0);
          for (const account of ACCOUNTS) expect(storedIds(h, account), account).toEqual(world.expected(account));
          expectHoldingsRecomputed(h.db);
          // And a sync after it changes nothing.
          trueNow += 2 * 60 * 60 * 1000;
          const before = countActivities(h.db);
          time.set(new Date(trueNow).toISOString());
          expect((await h.sync('manual')).activitiesSynced.activitiesUpserted).toBe(0);
          expect(countActivities(h.db)).toBe(before);
          h.db.close();
        }),
        { numRuns: RUNS },
      );
    },
    Math.max(120_000, RUNS * 200),
  );
  it(
    'twins on one day, whatever the order and however the list shifts: each activity stored once',
    async () => {
      const twinArb = fc.record({
        /** Stored by a first sync, then listed again with newcomers that look just like them. */
        stored: fc.integer({ min: 1, max: 4 }),
        newcomers: fc.integer({ min: 1, max: 4 }),
        units: fc.array(fc.constantFrom(1, 2), { minLength: 8, maxLength: 8 }),
        seed: fc.integer(),
        pageSize: fc.integer({ min: 1, max: 4 }),
        shift: fc.record({ fromPage: fc.integer({ min: 1, max: 2 }), by: fc.constantFrom(1, 2, 3) }),
      });
      await fc.assert(
        fc.asyncProperty(twinArb, async ({ stored, newcomers, units, seed, pageSize, shift }) => {
          cases++;
          const time = fakeTime('2026-11-28T09:00:00.000Z');
          const cloud = scriptedCloud();
          const at = Date.parse('2026-11-28T08:00:00.000Z');
          const make = (i: number) => trade(`t${i}`, at, { type: 'BUY', units: units[i] ?? 1, price: 10 });
          const first = Array.from({ length: stored }, (_, i) => make(i));
          cloud.accounts = [{ id: 'acc-1', name: 'acc-1', activities: first }];
          const h = await createHarness(time, {
            refreshToken: SCRIPTED_TOKEN,
            cloud: { url: SCRIPTED_URL, http: cloud.http },
          });
          syncs++;
          await h.sync();
          const all = shuffled([...first, ...Array.from({ length: newcomers }, (_, i) => make(stored + i))], seed);
          cloud.accounts = [{ id: 'acc-1', name: 'acc-1', activities: all }];
          cloud.pageSize = pageSize;
          injectFault(cloud, { kind: 'shift', ...shift });
          time.advance(60 * 60 * 1000);
          syncs += 2;
          await h.sync();
          cloud.onActivities = null;
          time.advance(60 * 60 * 1000);
          await h.sync();
          expect(storedIds(h, 'acc-1')).toEqual(all.map((activity) => String(activity.id)).sort());
          expectHoldingsRecomputed(h.db);
          h.db.close();
        }),
        { numRuns: RUNS },
      );
    },
    Math.max(120_000, RUNS * 200),
  );
});
