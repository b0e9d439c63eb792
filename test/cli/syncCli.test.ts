/**
 * The sync CLI against the demo cloud served over real HTTP on 127.0.0.1, into real SQLite
 * files: every demo-cloud scenario, the exit codes, --json, --auto and token rotation.
 * runSyncCli runs in-process with fake time (retries are recorded, not waited out).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lockFile } from '../../src/cli/fileLock.ts';
import { runSyncCli } from '../../src/cli/syncCli.ts';
import type { SyncEvent, SyncResult } from '../../src/core/syncEvents.ts';
import { createDemoCloud } from '../../src/demo/demoCloud.ts';
import { DEMO_REFRESH_TOKEN } from '../../src/demo/demoDefaults.ts';
import type { DemoScenario } from '../../src/demo/demoScenario.ts';
import { type HandlerServer, serveHandlers } from '../../src/demo/serveHandlers.ts';
import { fakeTime } from '../support/fakeTime.ts';

const time = fakeTime();
const demo = createDemoCloud({ now: () => time.clock.now(), size: 'small' });
let server: HandlerServer;
let dir: string;
let dbPath: string;

beforeAll(async () => {
  server = await serveHandlers(demo.handlers);
});
afterAll(() => server.close());
beforeEach(() => {
  time.set('2026-11-28T12:00:00.000Z');
  time.sleeps.length = 0;
  dir = mkdtempSync(join(tmpdir(), 'folio-cli-'));
  dbPath = join(dir, 'folio.sqlite');
});
afterEach(() => {
  demo.setScenario({});
  demo.requests.length = 0;
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], options: { env?: Record<string, string>; tty?: boolean } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runSyncCli({
    argv: args,
    env: options.env ?? {},
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: options.tty ?? false },
    clock: time.clock,
    sleep: time.sleep,
  });
  return { code, stdout, stderr };
}

/** The served demo cloud, signed in with the well-known demo token. */
const target = () => [
  '--db',
  dbPath,
  '--api-url',
  server.url,
  '--auth-url',
  server.url,
  '--refresh-token',
  DEMO_REFRESH_TOKEN,
];

/** A sync against the served demo cloud, with `scenario`, as JSON; returns the run and its result. */
async function sync(scenario: Partial<DemoScenario> = {}, extra: string[] = []) {
  demo.setScenario(scenario);
  const run = await cli([...target(), '--json', ...extra]);
  const lines = run.stdout.trim().split('\n').filter(Boolean);
  const last = JSON.parse(lines.at(-1) ?? '{}') as { type: string; payload: SyncResult };
  return { ...run, lines, result: last.payload };
}

function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}
const one = (sql: string, ...params: unknown[]) =>
  Object.values(query<Record<string, unknown>>(sql, ...params)[0] ?? {})[0];
const states = () =>
  query<{ name: string; sync_status: string; last_error: string | null }>(
    'SELECT a.name, s.sync_status, s.last_error FROM brokers_sync_state s JOIN accounts a ON a.id = s.account_id ORDER BY a.name',
  );
const enabled = () => demo.dataset().accounts.filter((account) => account.plan.syncEnabled);
const total = () => enabled().reduce((sum, account) => sum + account.activities.length, 0);

describe('sync CLI', () => {
  it('syncs the whole history into a new SQLite file, and a second run inserts nothing', async () => {
    const first = await sync();
    expect(first.code).toBe(0);
    expect(one('SELECT COUNT(*) FROM activities')).toBe(total());
    expect(one("SELECT COUNT(*) FROM activities WHERE status = 'DRAFT'")).toBe(1);
    expect(states().map((state) => state.sync_status)).toEqual(['IDLE', 'NEEDS_REVIEW', 'IDLE', 'IDLE']);
    // The portfolio update ran: the file has the holdings and cash too.
    expect(one('SELECT COUNT(DISTINCT account_id) FROM holdings')).toBe(4);
    expect(one('SELECT COUNT(*) FROM cash_balances')).toBeGreaterThanOrEqual(4);

    time.advance(5 * 60_000);
    const second = await sync();
    expect(second.code).toBe(0);
    expect(second.result.activitiesSynced.activitiesUpserted).toBe(0);
    expect(one('SELECT COUNT(*) FROM activities')).toBe(total());
  });

  it('prints one JSON line per event, then the result', async () => {
    const run = await sync();
    const parsed = run.lines.map((line) => JSON.parse(line) as SyncEvent | { type: 'result' });
    expect(parsed[0]?.type).toBe('broker:sync-start');
    expect(parsed.at(-2)?.type).toBe('broker:sync-complete');
    expect(parsed.at(-1)?.type).toBe('result');
    const names = new Set(parsed.map((event) => event.type));
    expect([...names].sort()).toEqual([
      'broker:sync-complete',
      'broker:sync-progress',
      'broker:sync-start',
      'portfolio:trigger-update',
      'portfolio:update-complete',
      'result',
    ]);
  });

  it('prints a human summary, with progress on stderr only for a terminal', async () => {
    const quiet = await cli(target());
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toMatch(/^Synced: 3 connections, 4 accounts\n/);
    expect(quiet.stdout).toContain('  Personal           Needs review  36 fetched, 36 new, 0 updated');
    expect(quiet.stdout).toContain('New account: TFSA (Questrade)');
    // The account the cloud does not sync is stored, not announced.
    expect(quiet.stdout).not.toContain('Crypto');
    expect(quiet.stderr).toBe('');
    time.advance(2 * 60 * 60_000);
    const tty = await cli(target(), { tty: true });
    expect(tty.stderr).toContain('Syncing TFSA: page 1');
  });

  it('--auto does nothing within the hour: no request, exit 0', async () => {
    await sync();
    demo.requests.length = 0;
    time.advance(30 * 60_000);
    const run = await sync({}, ['--auto']);
    expect(run.code).toBe(0);
    expect(run.result.skipped).toBe('not-due');
    expect(demo.requests).toEqual([]);
    time.advance(30 * 60_000);
    expect((await sync({}, ['--auto'])).result.skipped).toBeNull();
  });

  it('keeps a rotated refresh token, so later runs work although the given one is now dead', async () => {
    const args = ['--db', dbPath, '--api-url', server.url, '--auth-url', server.url];
    const env = { FOLIO_REFRESH_TOKEN: 'demo-user-token' };
    expect((await cli(args, { env })).code).toBe(0);
    const stored = one("SELECT value FROM settings WHERE key = 'cloud.refreshToken'");
    expect(stored).toMatch(/^demo-rt-/);

    // Cron gives the same (now revoked) token again: the stored one is used.
    time.advance(2 * 60 * 60_000);
    const second = await cli([...args, '--json'], { env });
    expect(JSON.parse(second.stdout.trim().split('\n').at(-1) ?? '').payload).toMatchObject({
      success: true,
      skipped: null,
    });
    time.advance(2 * 60 * 60_000);
    expect((await cli(args)).stdout).toMatch(/^Synced/);
    expect(one("SELECT COUNT(*) FROM sync_runs WHERE status = 'SUCCEEDED'")).toBe(3);
  });

  it('remembers the cloud it was pointed at', async () => {
    await sync();
    time.advance(2 * 60 * 60_000);
    demo.requests.length = 0;
    const run = await cli(['--db', dbPath]);
    expect(run.code).toBe(0);
    expect(demo.requests.length).toBeGreaterThan(0);
  });
});

describe('sync CLI: one sync per file', () => {
  it('does nothing while another sync holds the file, and says so', async () => {
    const held = lockFile(dbPath);
    try {
      const run = await sync();
      expect(run.code).toBe(0);
      expect(run.result).toMatchObject({ skipped: 'busy', message: expect.stringContaining('Another sync') });
      expect(demo.requests).toEqual([]);
    } finally {
      if (held.acquired) held.release();
    }
  });

  it('takes over a lock file left by an earlier version, and releases the lock', async () => {
    writeFileSync(`${dbPath}.lock`, '2147483646');
    expect((await sync()).code).toBe(0);
    expect(one('SELECT COUNT(*) FROM activities')).toBe(total());
    const after = lockFile(dbPath);
    expect(after.acquired).toBe(true);
    if (after.acquired) after.release();
  });
});

describe('sync CLI: demo-cloud scenarios', () => {
  it('refresh refused: a silent skip, exit 0, nothing written', async () => {
    const run = await sync({ refreshRefused: true });
    expect(run.code).toBe(0);
    expect(run.result).toMatchObject({ success: true, skipped: 'not-signed-in' });
    expect(run.lines.map((line) => JSON.parse(line).type)).not.toContain('broker:sync-error');
    expect(one('SELECT COUNT(*) FROM accounts')).toBe(0);
    expect(one('SELECT status FROM sync_runs')).toBe('SKIPPED');
  });

  it('401 on a call: refreshes once and carries on', async () => {
    const run = await sync({ unauthorized: 1 });
    expect(run.code).toBe(0);
    expect(demo.requests.filter((request) => request.path.startsWith('/auth'))).toHaveLength(2);
    expect(one('SELECT COUNT(*) FROM activities')).toBe(total());
  });

  it('429 without Retry-After: 500 ms, 1 s, 2 s, then "Rate limited by the cloud", exit 1', async () => {
    const run = await sync({ rateLimited: 4 });
    expect(run.code).toBe(1);
    expect(time.sleeps).toEqual([500, 1000, 2000]);
    expect(run.result.message).toBe('Rate limited by the cloud');
    expect(one('SELECT status FROM sync_runs')).toBe('FAILED');
  });

  it('429 with Retry-After: waits as long as asked, then syncs', async () => {
    const run = await sync({ rateLimited: 1, retryAfter: '7' });
    expect(run.code).toBe(0);
    expect(time.sleeps).toEqual([7000]);
  });

  it('a burst of 5xx within the retries: syncs, exit 0', async () => {
    const run = await sync({ serverErrors: 3, serverErrorStatus: 502 });
    expect(run.code).toBe(0);
    expect(time.sleeps).toEqual([500, 1000, 2000]);
    expect(one('SELECT COUNT(*) FROM activities')).toBe(total());
  });

  it('5xx beyond the retries: exit 1 naming the status', async () => {
    const run = await sync({ serverErrors: 4 });
    expect(run.code).toBe(1);
    expect(run.result.message).toContain('HTTP 503');
  });

  it('network error: fails fast, exit 1, and leaves the accounts as they were (docs/sync-rules.md, "Failures")', async () => {
    await sync();
    const before = states();
    time.advance(2 * 60 * 60_000);
    time.sleeps.length = 0;
    const run = await sync({ networkDown: true });
    expect(run.code).toBe(1);
    expect(time.sleeps).toEqual([]);
    expect(run.stderr).toContain('warning: Sync failed: Network unavailable');
    expect(states()).toEqual(before);
    expect(run.lines.map((line) => JSON.parse(line))).toContainEqual({
      type: 'broker:sync-error',
      payload: { error: 'Network unavailable', code: 'network' },
    });
  });

  it('malformed JSON: every account FAILED with a clear error, no activity written, exit 1', async () => {
    const run = await sync({ malformedActivities: true });
    expect(run.code).toBe(1);
    expect(states().map((state) => state.last_error)).toEqual(
      Array(4).fill('The cloud sent a malformed answer for activities: not JSON'),
    );
    expect(one('SELECT COUNT(*) FROM activities')).toBe(0);
    expect(one("SELECT COUNT(*) FROM import_runs WHERE status = 'FAILED'")).toBe(4);
  });

  it('an invalid activity in a page: dropped with a warning, the rest stored, exit 0', async () => {
    const run = await sync({ invalidActivity: true });
    expect(run.code).toBe(0);
    expect(run.stderr.match(/^warning: .*dropped/gm)).toHaveLength(8);
    expect(one('SELECT COUNT(*) FROM activities')).toBe(total() - 8);
    const summary = JSON.parse(String(one('SELECT summary_json FROM import_runs ORDER BY id LIMIT 1')));
    expect(summary.warnings).toBe(2);
  });

  it('the same id on two pages: stored once', async () => {
    const run = await sync({ duplicateAcrossPages: true, maxPageSize: 400 });
    expect(run.code).toBe(0);
    expect(one('SELECT COUNT(*) FROM activities')).toBe(total());
    expect(one('SELECT COUNT(DISTINCT id) FROM activities')).toBe(total());
  });

  it('a stuck page: accounts FAILED "Pagination appears stuck", exit 1', async () => {
    const run = await sync({ stuckPagination: true, maxPageSize: 100 });
    expect(run.code).toBe(1);
    expect(states().every((state) => state.last_error === 'Pagination appears stuck')).toBe(true);
  });

  it('slow pages: still syncs, page by page', async () => {
    const run = await sync({ pageDelayMs: 20, maxPageSize: 8 });
    expect(run.code).toBe(0);
    const progress = run.lines.map((line) => JSON.parse(line)).filter((event) => event.type === 'broker:sync-progress');
    expect(
      progress.filter((event) => event.payload.accountName === 'TFSA').map((event) => event.payload.currentPage),
    ).toEqual([0, 1, 2, 3, 4, 5, 5]);
  });

  it('one failing account: the others sync, exit 1', async () => {
    const personal = enabled().find((account) => account.plan.name === 'Personal')?.plan.id ?? '';
    const run = await sync({ failingAccount: { accountId: personal, status: 403 } });
    expect(run.code).toBe(1);
    expect(states()).toEqual([
      { name: 'Individual Margin', sync_status: 'IDLE', last_error: null },
      { name: 'Personal', sync_status: 'FAILED', last_error: 'The brokerage rejected this request' },
      { name: 'RRSP', sync_status: 'IDLE', last_error: null },
      { name: 'TFSA', sync_status: 'IDLE', last_error: null },
    ]);
  });

  it('without a paid plan: a manual run says so, exit 1', async () => {
    const run = await sync({ plan: 'basic' });
    expect(run.code).toBe(1);
    expect(run.result.message).toBe('Broker sync needs a paid plan');
    const auto = await sync({ plan: 'basic' }, ['--auto']);
    expect(auto.code).toBe(0);
  });
});

describe('sync CLI: bad input', () => {
  it.each([
    [[], '--db FILE is required'],
    [['--db'], "Option '--db <value>' argument missing"],
    [['--db', 'x.sqlite', '--frobnicate'], "Unknown option '--frobnicate'"],
    [['--db', 'x.sqlite', '--api-url', 'https://a.test'], '--api-url and --auth-url go together'],
    [
      ['--db', 'x.sqlite', '--api-url', 'nope', '--auth-url', 'https://a.test'],
      '--api-url: "nope" is not an http or https URL',
    ],
    [
      ['--db', 'x.sqlite', '--api-url', 'ftp://a.test', '--auth-url', 'https://a.test'],
      '--api-url: "ftp://a.test" is not an http or https URL',
    ],
    [
      ['--db', 'x.sqlite', '--api-url', 'http://cloud.example', '--auth-url', 'https://a.test'],
      '--api-url: "http://cloud.example" must use https: plain http is only for a cloud on this machine',
    ],
  ])('%j: exit 2 with one line saying why', async (args, reason) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`folio-sync: ${reason} (see --help)\n`);
    expect(run.stdout).toBe('');
  });

  it('--help prints usage and exits 0', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: npm run sync -- --db FILE');
  });

  it('a file that is not a database: exit 2, file untouched', async () => {
    writeFileSync(dbPath, 'not a database');
    const run = await cli(['--db', dbPath]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`folio-sync: ${dbPath} is not a SQLite database file\n`);
    expect(readFileSync(dbPath, 'utf8')).toBe('not a database');
  });

  it('a Folio Sync file someone changed (a trigger, a view, a table, a column): exit 2 naming it, file untouched', async () => {
    expect((await cli(target())).code).toBe(0);
    const changes: [string, string][] = [
      [
        "CREATE TRIGGER zero AFTER INSERT ON activities BEGIN UPDATE activities SET amount = '0' WHERE id = NEW.id; END",
        'an unexpected trigger "zero"',
      ],
      ['CREATE VIEW everything AS SELECT * FROM activities', 'an unexpected view "everything"'],
      ['CREATE TABLE junk (payload BLOB)', 'an unexpected table "junk"'],
      ['ALTER TABLE activities ADD COLUMN junk TEXT', 'the table "activities" is not as Folio Sync makes it'],
    ];
    const clean = readFileSync(dbPath);
    for (const [sql, named] of changes) {
      writeFileSync(dbPath, clean);
      const file = new Database(dbPath);
      file.exec(sql);
      file.close();
      const before = readFileSync(dbPath);
      const run = await cli(target());
      expect(run.code, sql).toBe(2);
      expect(run.stderr, sql).toBe(`folio-sync: ${dbPath} is not a sound Folio Sync database: ${named}\n`);
      expect(readFileSync(dbPath).equals(before), sql).toBe(true);
    }
    // A file cut short: refused too, and left as it was.
    writeFileSync(dbPath, clean.subarray(0, Math.floor(clean.length / 2)));
    const truncated = readFileSync(dbPath);
    const run = await cli(target());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^folio-sync: .+\n$/);
    expect(readFileSync(dbPath).equals(truncated)).toBe(true);
  });

  it("another application's database: exit 2, file untouched", async () => {
    const other = new Database(dbPath);
    other.exec('CREATE TABLE notes (body TEXT)');
    other.close();
    const before = readFileSync(dbPath);
    const run = await cli(['--db', dbPath]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('folio-sync: This SQLite file is not a Folio Sync database\n');
    expect(readFileSync(dbPath).equals(before)).toBe(true);
  });
});
