/**
 * The fault matrix: every fault the demo cloud can play, at every phase of a sync (the refresh,
 * the profile, the connections, the accounts, a page of activities), alone and in seeded random
 * pairs, synced one after another into one database, by each host that runs the engine: the
 * engine itself over sql.js, the service worker's host (sql.js in IndexedDB), the CLI (a SQLite
 * file, the cloud over real HTTP) and the server (its own file and demo cloud, through its runner). After each sync
 * what must always hold holds: nothing RUNNING, each stored activity once, holdings equal to a
 * recompute. After a final clean sync the database holds every activity the cloud lists
 * (docs/sync-rules.md, "Failures" and "After a crash"). Retries are recorded, not waited out.
 * `FOLIO_FAULT_PAIRS` sets how many random pairs each host tries (16 by default).
 */
import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDBFactory } from 'fake-indexeddb';
import initSqlJs from 'sql.js';
import { afterAll, describe, expect, it } from 'vitest';
import { runSyncCli } from '../../src/cli/syncCli.ts';
import type { SyncResult } from '../../src/core/syncEvents.ts';
import { createDemoCloud, type DemoCloud } from '../../src/demo/demoCloud.ts';
import { DEMO_REFRESH_TOKEN } from '../../src/demo/demoDefaults.ts';
import type { DemoScenario } from '../../src/demo/demoScenario.ts';
import { seededRandom } from '../../src/demo/random.ts';
import { serveHandlers } from '../../src/demo/serveHandlers.ts';
import { databaseKey } from '../../src/pwa/cloudSettings.ts';
import { openFileDatabase } from '../../src/storage/node/fileDatabase.ts';
import { setSetting } from '../../src/storage/settings.ts';
import type { SqlDatabase } from '../../src/storage/sqlDatabase.ts';
import { idbReader } from '../../src/storage/sqljs/byteStore.ts';
import { openSqlJsDatabase } from '../../src/storage/sqljs/sqlJsDatabase.ts';
import { listAccounts } from '../../src/storage/views.ts';
import { tokenStore } from '../../sw/credentialStore.ts';
import { createSyncHost } from '../../sw/syncHost.ts';
import { fakeTime } from '../support/fakeTime.ts';
import { handlerHttp } from '../support/handlerHttp.ts';
import { memoryLocks } from '../support/memoryLocks.ts';
import { createHarness } from '../support/syncHarness.ts';
import { expectHoldingsRecomputed, expectNothingRunning } from '../support/syncInvariants.ts';
import { useSyncServers } from '../support/syncServers.ts';

const time = fakeTime();
const sqlJs = initSqlJs();
/** Servers on the test's clock (their scheduler never fires: the matrix syncs by hand). */
const servers = useSyncServers({ clock: time.clock, sleep: time.sleep });

/** Where in a sync a fault starts: the API call it starts at (demoScenario.ts `faultFromCall`). */
const PHASES = { profile: 0, connections: 1, accounts: 2, 'first page': 3, 'a later page': 6 } as const;
type Phase = keyof typeof PHASES;

/** Each fault the demo cloud plays, as a scenario. */
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

/** Faults about activity pages: tried once, not at every phase. */
const PAGE_ONLY = new Set(['malformed JSON', 'invalid activities', 'an id repeated across pages', 'a stuck page']);

/** A host of the engine, as the matrix drives it. */
interface Host {
  demo: DemoCloud;
  sync(): Promise<SyncResult>;
  /** Reads the database as the host left it. */
  read<T>(query: (db: SqlDatabase) => T): Promise<T>;
  /** The user signs in again (a refused token is forgotten). */
  signInAgain(): Promise<void>;
  close(): Promise<void>;
}

const newDemo = () => createDemoCloud({ now: () => time.clock.now(), size: 'small' });

const HOSTS: Record<string, () => Promise<Host>> = {
  async 'the engine over sql.js'() {
    const demo = newDemo();
    const url = 'https://cloud.folio.test';
    const h = await createHarness(time, {
      refreshToken: DEMO_REFRESH_TOKEN,
      cloud: { url, http: handlerHttp({ [url]: demo.handlers }) },
    });
    return {
      demo,
      sync: () => h.sync('manual'),
      read: (query) => Promise.resolve(query(h.db)),
      signInAgain: () => Promise.resolve(setSetting(h.db, 'cloud.refreshToken', DEMO_REFRESH_TOKEN)),
      close: () => Promise.resolve(h.db.close()),
    };
  },

  async "the service worker's host"() {
    globalThis.indexedDB = new IDBFactory();
    const demo = newDemo();
    const origin = 'https://app.folio.test';
    const host = createSyncHost({
      sqlJs: () => sqlJs,
      clock: time.clock,
      sleep: time.sleep,
      http: handlerHttp({ [origin]: demo.handlers }),
      fetch: () => Promise.reject(new Error('No server here')),
      locks: memoryLocks(),
      isOnline: () => true,
      origin,
      version: 'matrix',
      broadcast: () => undefined,
      log: { warn: () => undefined },
    });
    return {
      demo,
      async sync() {
        const reply = await host.handle({ type: 'sync', trigger: 'manual' });
        if (!reply.ok) throw new Error(reply.failure.message);
        return reply.value as SyncResult;
      },
      async read(query) {
        const db = await openSqlJsDatabase(await sqlJs, idbReader(databaseKey(null)));
        try {
          return query(db);
        } finally {
          db.close();
        }
      },
      signInAgain: () => tokenStore(databaseKey(null), true).forget(),
      close: () => Promise.resolve(),
    };
  },

  async 'the CLI'() {
    const demo = newDemo();
    const served = await serveHandlers(demo.handlers);
    const dir = mkdtempSync(join(tmpdir(), 'folio-matrix-'));
    const path = join(dir, 'folio.sqlite');
    const inFile = <T>(query: (db: SqlDatabase) => T): T => {
      const db = openFileDatabase(path);
      try {
        return query(db);
      } finally {
        db.close();
      }
    };
    inFile((db) => setSetting(db, 'cloud.refreshToken', DEMO_REFRESH_TOKEN));
    return {
      demo,
      async sync() {
        let out = '';
        await runSyncCli({
          argv: ['--db', path, '--api-url', served.url, '--auth-url', served.url, '--json'],
          env: {},
          stdout: { write: (text: string) => (out += text) },
          stderr: { write: () => true },
          clock: time.clock,
          sleep: time.sleep,
        });
        const last = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { payload: SyncResult };
        return last.payload;
      },
      read: (query) => Promise.resolve(inFile(query)),
      signInAgain: () => Promise.resolve(inFile((db) => setSetting(db, 'cloud.refreshToken', DEMO_REFRESH_TOKEN))),
      async close() {
        await served.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },

  async 'the server'() {
    const server = await servers.start();
    const inFile = <T>(query: (db: SqlDatabase) => T): T => {
      const db = openFileDatabase(join(servers.dataDirOf(server), 'folio.sqlite'));
      try {
        return query(db);
      } finally {
        db.close();
      }
    };
    return {
      demo: server.demo,
      sync: () => server.runner.request('manual'),
      read: (query) => Promise.resolve(inFile(query)),
      signInAgain: () => Promise.resolve(inFile((db) => setSetting(db, 'cloud.refreshToken', DEMO_REFRESH_TOKEN))),
      // The servers are stopped after the file.
      close: () => Promise.resolve(),
    };
  },
};

/** What must hold after any sync, whatever it met. */
function expectSound(db: SqlDatabase, what: string): void {
  expectNothingRunning(db);
  expectHoldingsRecomputed(db);
  const stored = db.get<{ n: number; distinct_ids: number }>(
    'SELECT COUNT(*) AS n, COUNT(DISTINCT account_id || char(0) || provider_activity_id) AS distinct_ids FROM activities',
  );
  expect(stored?.n, `${what}: each activity once`).toBe(stored?.distinct_ids);
  for (const account of listAccounts(db)) {
    expect([null, 'IDLE', 'NEEDS_REVIEW', 'FAILED'], `${what}: ${account.name}`).toContain(account.syncStatus);
  }
}

const figures: string[] = [];
afterAll(() => {
  // biome-ignore lint/suspicious/noConsole: the run's log says how many faults were tried
  console.log(`fault matrix: ${figures.join('; ')}`);
});

describe('the fault matrix', () => {
  for (const [hostName, start] of Object.entries(HOSTS)) {
    it(`${hostName} survives every fault at every phase, alone and in pairs; a clean sync then holds the cloud`, async () => {
      time.set('2026-11-28T12:00:00.000Z');
      const host = await start();
      const random = seededRandom(`fault matrix: ${hostName}`);
      const cases: { name: string; scenario: Partial<DemoScenario> }[] = [];
      for (const [fault, scenario] of Object.entries(FAULTS)) {
        const phases: Phase[] = PAGE_ONLY.has(fault) ? ['first page'] : (Object.keys(PHASES) as Phase[]);
        for (const phase of phases) {
          cases.push({ name: `${fault} at the ${phase}`, scenario: { ...scenario, faultFromCall: PHASES[phase] } });
        }
      }
      const names = Object.keys(FAULTS);
      for (let i = 0; i < Number(process.env.FOLIO_FAULT_PAIRS ?? 16); i++) {
        const [a, b] = [random.pick(names), random.pick(names)];
        const phase = random.pick(Object.keys(PHASES) as Phase[]);
        cases.push({
          name: `${a} and ${b} at the ${phase}`,
          scenario: { ...FAULTS[a], ...FAULTS[b], faultFromCall: PHASES[phase] },
        });
      }

      let survived = 0;
      /** Syncs a fault made fail, skip, or fail an account. */
      let bitten = 0;
      try {
        for (const { name, scenario } of cases) {
          // Small pages, so an account has several; sometimes new trades, as days pass.
          host.demo.setScenario({ maxPageSize: 10, newTrades: random.int(0, 2), ...scenario });
          time.advance(2 * 60 * 60_000);
          const result = await host.sync();
          if (!result.success || result.skipped || result.accounts.some((account) => account.status === 'FAILED')) {
            bitten++;
          }
          await host.read((db) => expectSound(db, `${hostName}, ${name}`));
          await host.signInAgain();
          survived++;
        }
        // The faults were real: many syncs failed, skipped, or failed an account (the others met
        // faults a sync rides out: retries that succeed, slow or oddly paged answers).
        expect(bitten).toBeGreaterThan(cases.length / 3);

        host.demo.setScenario({});
        time.advance(2 * 60 * 60_000);
        expect(await host.sync()).toMatchObject({ success: true, skipped: null });
        await host.read((db) => {
          expectSound(db, `${hostName}, the clean sync`);
          // Every activity the cloud lists now is stored (the live trades earlier syncs saw are the
          // cloud's no more, and stay as the history the user has).
          for (const account of host.demo.dataset().accounts.filter((candidate) => candidate.plan.syncEnabled)) {
            const stored = new Set(
              db
                .all<{ id: string }>('SELECT provider_activity_id AS id FROM activities WHERE account_id = ?', [
                  account.plan.id,
                ])
                .map((row) => row.id),
            );
            const missing = account.activities.map((activity) => String(activity.id)).filter((id) => !stored.has(id));
            expect(missing, `${hostName}, ${account.plan.name}: activities of the cloud not stored`).toEqual([]);
          }
        });
      } finally {
        figures.push(`${hostName}: faults tried ${cases.length}, survived ${survived} (${bitten} cut a sync short)`);
        await host.close();
      }
    }, 120_000);
  }
});
