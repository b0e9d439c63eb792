/**
 * Crash tests: the real sync CLI, in a process of its own, killed with SIGKILL at chosen points
 * of its writes (inside a page's transaction, between pages, during the holdings recompute,
 * during the state updates), then run again. After the next sync the stored set equals the
 * cloud's, holdings equal a recompute from scratch, and nothing is left RUNNING
 * (docs/sync-rules.md, "After a crash").
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSyncCli } from '../../src/cli/syncCli.ts';
import { type HandlerServer, serveHandlers } from '../../src/demo/serveHandlers.ts';
import { systemClock, systemSleep } from '../../src/platform/realTime.ts';
import { openFileDatabase } from '../../src/storage/node/fileDatabase.ts';
import { countActivities, listActivities } from '../../src/storage/views.ts';
import { bundleScript } from '../support/bundleScript.ts';
import { cloudTrade, SCRIPTED_TOKEN, type ScriptedCloud, scriptedCloud } from '../support/scriptedCloud.ts';
import { expectHoldingsRecomputed, expectNothingRunning } from '../support/syncInvariants.ts';

const CHILD = fileURLToPath(new URL('./support/crashingSync.ts', import.meta.url));

let dir: string;
let childScript: string;
let cloud: ScriptedCloud;
let server: HandlerServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'folio-crash-'));
  childScript = await bundleScript(CHILD);
  cloud = scriptedCloud();
  const days = (n: number, from: string) =>
    Array.from({ length: n }, (_, i) => new Date(Date.parse(from) + i * 86_400_000).toISOString().slice(0, 10));
  cloud.accounts = [
    {
      id: 'acc-1',
      name: 'TFSA',
      activities: days(5, '2026-10-01').map((day, i) =>
        cloudTrade(`a${i}`, day, i === 3 ? { type: 'SELL', units: 1, amount: 12 } : { units: i + 1 }),
      ),
    },
    {
      id: 'acc-2',
      name: 'RRSP',
      activities: days(7, '2026-10-10').map((day, i) =>
        cloudTrade(`b${i}`, day, i === 0 ? { type: 'DEPOSIT', units: 0, amount: 500, symbol: null } : { units: 2 }),
      ),
    },
  ];
  cloud.pageSize = 2;
  server = await serveHandlers(cloud.handlers);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(dirname(childScript), { recursive: true, force: true });
});

const cliArgs = (db: string) => [
  '--db',
  db,
  '--api-url',
  server.url,
  '--auth-url',
  server.url,
  '--refresh-token',
  SCRIPTED_TOKEN,
  '--json',
];

function runChild(db: string, env: Record<string, string>): Promise<{ code: number | null; signal: string | null }> {
  const child: ChildProcess = spawn(process.execPath, [childScript, ...cliArgs(db)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === null && code !== 0) reject(new Error(`the CLI exited ${code}: ${stderr}`));
      else resolve({ code, signal });
    });
  });
}

const syncAgain = (db: string) =>
  runSyncCli({
    argv: cliArgs(db),
    env: {},
    stdout: { write: () => true },
    stderr: { write: () => true },
    clock: systemClock,
    sleep: systemSleep,
  });

/** `FOLIO_CRASH_EVERY_EVENT=1` kills at every event instead: a minute's hunt rather than seconds. */
const EVERY_EVENT = process.env.FOLIO_CRASH_EVERY_EVENT === '1';

/** The kill points: at least one of each kind, then every few events in between. */
function choosePoints(events: string[]): { at: number; what: string }[] {
  if (EVERY_EVENT) return events.map((event, i) => ({ at: i + 1, what: `event ${i + 1}: ${event}` }));
  const first = (test: (event: string, i: number) => boolean) => events.findIndex(test) + 1;
  const isInsert = (event: string | undefined) => event?.startsWith('INSERT INTO activities') === true;
  /** A second activity insert of one transaction: the first is written, uncommitted. */
  const midPage = (event: string, i: number) => {
    if (!isInsert(event)) return false;
    for (let j = i - 1; j >= 0 && events[j] !== 'COMMIT'; j--) if (isInsert(events[j])) return true;
    return false;
  };
  const named = [
    { at: first(midPage), what: 'inside a page transaction' },
    {
      at:
        first(
          (event, i) => event === 'COMMIT' && (events[i - 1] ?? '').startsWith('UPDATE import_runs SET summary_json'),
        ) + 1,
      what: 'between pages',
    },
    { at: first((event) => event.startsWith('INSERT INTO holdings')), what: 'during the holdings recompute' },
    {
      at: first((event) => event.startsWith('UPDATE import_runs SET status')),
      what: "during an account's state update",
    },
    { at: first((event) => event.startsWith('UPDATE sync_runs SET status')), what: "during the sync run's end" },
  ];
  for (const point of named) expect(point.at, point.what).toBeGreaterThan(1);
  const spread = Array.from({ length: 7 }, (_, i) => Math.max(1, Math.round(((i + 1) * events.length) / 8)));
  return [...named, ...spread.map((at) => ({ at, what: `event ${at} of ${events.length}: ${events[at - 1]}` }))];
}

const cloudIds = (account: string) =>
  (cloud.accounts.find((candidate) => candidate.id === account)?.activities ?? [])
    .map((activity) => String(activity.id))
    .sort();

/** Kills a sync at each point, each on a fresh copy made by `prepare`, then syncs again and checks. */
async function crashAndRecover(
  name: string,
  prepare: (db: string) => void,
): Promise<{ points: number; cutShort: number; events: number }> {
  const probe = join(dir, `${name}-probe.sqlite`);
  const log = join(dir, `${name}-events.log`);
  prepare(probe);
  const total = await runChild(probe, {}).then(() => countOf(probe));
  prepare(probe);
  await runChild(probe, { FOLIO_CRASH_LOG: log });
  const events = readFileSync(log, 'utf8').trim().split('\n');
  const points = choosePoints(events);
  let cutShort = 0;

  for (const [i, point] of points.entries()) {
    const db = join(dir, `${name}-${i}.sqlite`);
    prepare(db);
    const crashed = await runChild(db, { FOLIO_CRASH_AT: String(point.at) });
    expect(crashed.signal, point.what).toBe('SIGKILL');
    if (countOf(db) < total) cutShort++;

    expect(await syncAgain(db), point.what).toBe(0);
    const after = openFileDatabase(db);
    try {
      for (const account of ['acc-1', 'acc-2']) {
        const stored = listActivities(after, { accountId: account }, { limit: 100, offset: 0 }).map((row) => row.id);
        expect(stored.sort(), `${point.what}: ${account}`).toEqual(cloudIds(account));
      }
      expectHoldingsRecomputed(after);
      expectNothingRunning(after);
    } finally {
      after.close();
    }
  }
  // The points really cut syncs short (not all after the last write).
  expect(cutShort).toBeGreaterThan(points.length / 2);
  return { points: points.length, cutShort, events: events.length };
}

function countOf(path: string): number {
  const db = openFileDatabase(path);
  try {
    return countActivities(db);
  } finally {
    db.close();
  }
}

const tried: string[] = [];
afterAll(() => {
  // biome-ignore lint/suspicious/noConsole: the run's log says how many cases were tried
  console.log(`crash tests: ${tried.join('; ')}`);
});

describe('the sync CLI killed mid-sync', () => {
  it("recovers from a killed first sync: the cloud's set, holdings from scratch, nothing RUNNING", async () => {
    const run = await crashAndRecover('first', (db) => rmSync(db, { force: true }));
    tried.push(`first sync: ${run.points} kill points (${run.cutShort} cut it short) of ${run.events} write events`);
  }, 600_000);

  it('recovers from a killed incremental sync, keeping what the first one brought', async () => {
    const base = join(dir, 'base.sqlite');
    await runChild(base, {});
    // New trades today, several pages of them: the next sync is incremental.
    const today = new Date().toISOString().slice(0, 10);
    const added = Array.from({ length: 5 }, (_, i) => cloudTrade(`new-${i}`, today, { units: i + 1 }));
    cloud.accounts[0]?.activities.push(...added);
    try {
      const run = await crashAndRecover('incremental', (db) => copyFileSync(base, db));
      tried.push(
        `incremental sync: ${run.points} kill points (${run.cutShort} cut it short) of ${run.events} write events`,
      );
    } finally {
      cloud.accounts[0]?.activities.splice(-added.length);
    }
  }, 600_000);
});
