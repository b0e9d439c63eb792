import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import initSqlJs from 'sql.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPLICATION_ID, latestVersion, migrate, migrations } from '../../src/storage/migrations.ts';
import { openFileDatabase } from '../../src/storage/node/fileDatabase.ts';
import { openSqlJsDatabase } from '../../src/storage/sqljs/sqlJsDatabase.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'folio-file-db-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('file database', () => {
  it('creates and migrates a new file, stamped as ours', () => {
    const path = join(dir, 'new.sqlite');
    openFileDatabase(path).close();
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(raw.pragma('user_version', { simple: true })).toBe(latestVersion());
    const tables = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(
      expect.arrayContaining(['accounts', 'activities', 'brokers_sync_state', 'import_runs', 'platforms', 'settings']),
    );
    raw.close();
  });

  it('creates a new file, and its write-ahead log, readable by its owner only: they hold the refresh token', () => {
    const path = join(dir, 'private.sqlite');
    const db = openFileDatabase(path);
    db.run("INSERT INTO settings (key, value) VALUES ('cloud.refreshToken', 'secret')");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(`${path}-wal`).mode & 0o777).toBe(0o600);
    db.close();
  });

  it('reopens an existing database and keeps its data', () => {
    const path = join(dir, 'kept.sqlite');
    const db = openFileDatabase(path);
    db.run("INSERT INTO settings (key, value) VALUES ('cloud.apiUrl', 'https://x')");
    db.close();
    const again = openFileDatabase(path);
    expect(again.get("SELECT value FROM settings WHERE key = 'cloud.apiUrl'")).toEqual({ value: 'https://x' });
    again.close();
  });

  it('refuses a file that is not SQLite, leaving it untouched', () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'my notes, not a database\n');
    expect(() => openFileDatabase(path)).toThrow(expect.objectContaining({ code: 'not-a-database' }));
    expect(readFileSync(path, 'utf8')).toBe('my notes, not a database\n');
  });

  it("refuses another application's SQLite file, leaving it untouched", () => {
    const path = join(dir, 'other.sqlite');
    const other = new Database(path);
    other.exec('CREATE TABLE recipes (name TEXT)');
    other.close();
    const before = readFileSync(path);
    expect(() => openFileDatabase(path)).toThrow(
      expect.objectContaining({ code: 'foreign-database', message: 'This SQLite file is not a Folio Sync database' }),
    );
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a database from a newer Folio Sync, leaving it untouched', () => {
    const path = join(dir, 'newer.sqlite');
    openFileDatabase(path).close();
    const raw = new Database(path);
    raw.pragma('journal_mode = DELETE');
    raw.pragma(`user_version = ${latestVersion() + 1}`);
    raw.close();
    const before = readFileSync(path);
    expect(() => openFileDatabase(path)).toThrow(expect.objectContaining({ code: 'newer-schema' }));
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('says clearly when the folder does not exist', () => {
    expect(() => openFileDatabase(join(dir, 'missing', 'x.sqlite'))).toThrow(
      expect.objectContaining({ code: 'cannot-open' }),
    );
  });
});

describe('migrations', () => {
  it('upgrade an older database in order and keep its data', () => {
    const path = join(dir, 'old.sqlite');
    const old = openFileDatabase(path);
    old.run("INSERT INTO settings (key, value) VALUES ('cloud.apiUrl', 'https://kept')");
    old.close();
    // A later migration, as the next release would ship it.
    const next = [
      ...migrations,
      { version: latestVersion() + 1, name: 'holdings', sql: 'CREATE TABLE later (x TEXT)' },
    ];
    const db = openFileDatabase(path);
    expect(migrate(db, next)).toEqual({ from: latestVersion(), to: latestVersion() + 1 });
    expect(db.get("SELECT value FROM settings WHERE key = 'cloud.apiUrl'")).toEqual({ value: 'https://kept' });
    expect(db.get("SELECT name FROM sqlite_master WHERE name = 'later'")).toEqual({ name: 'later' });
    expect(db.get('PRAGMA user_version')).toEqual({ user_version: latestVersion() + 1 });
    db.close();
  });

  it('apply nothing of a migration that fails', () => {
    const path = join(dir, 'broken.sqlite');
    const db = openFileDatabase(path);
    const broken = [
      ...migrations,
      { version: latestVersion() + 1, name: 'broken', sql: 'CREATE TABLE half (x); NOT SQL' },
    ];
    expect(() => migrate(db, broken)).toThrow();
    expect(db.get("SELECT name FROM sqlite_master WHERE name = 'half'")).toBeUndefined();
    expect(db.get('PRAGMA user_version')).toEqual({ user_version: latestVersion() });
    db.close();
  });
});

describe('migration 3 (sync correctness)', () => {
  /** A version 2 database with two synced accounts, one activity and its import run, as bytes. */
  async function version2File(): Promise<{ bytes: Uint8Array; runId: number }> {
    let bytes: Uint8Array | undefined;
    const db = await openSqlJsDatabase(
      await initSqlJs(),
      {
        load: () => Promise.resolve(undefined),
        save: (saved) => {
          bytes = saved;
          return Promise.resolve();
        },
      },
      { migrate: false },
    );
    migrate(db, migrations.slice(0, 2));
    for (const id of ['with-history', 'empty']) {
      db.run(
        `INSERT INTO accounts (id, name, provider, provider_account_id, created_at, updated_at)
         VALUES (?, ?, 'snaptrade', ?, ?, ?)`,
        [id, id, id, NOW, NOW],
      );
      db.run(
        `INSERT INTO brokers_sync_state (account_id, provider, last_successful_at, sync_status, created_at, updated_at)
         VALUES (?, 'snaptrade', ?, 'IDLE', ?, ?)`,
        [id, NOW, NOW, NOW],
      );
    }
    const runId =
      db.get<{ id: number }>(
        `INSERT INTO import_runs (account_id, provider, mode, status, started_at)
       VALUES ('with-history', 'snaptrade', 'INITIAL', 'APPLIED', ?) RETURNING id`,
        [NOW],
      )?.id ?? 0;
    db.run(
      `INSERT INTO activities (id, account_id, activity_type, status, activity_date, source_system, source_record_id,
         idempotency_key, import_run_id, created_at, updated_at)
       VALUES ('act-1', 'with-history', 'DEPOSIT', 'POSTED', ?, 'SNAPTRADE', 'rec-1', 'key-1', ?, ?, ?)`,
      [NOW, runId, NOW, NOW],
    );
    await db.persist();
    db.close();
    if (!bytes) throw new Error('nothing saved');
    return { bytes, runId };
  }

  const NOW = '2026-11-28T12:00:00.000Z';
  const opened = {
    'sql.js': async (bytes: Uint8Array) => openSqlJsDatabase(await initSqlJs(), { load: () => Promise.resolve(bytes) }),
    'better-sqlite3': (bytes: Uint8Array) => {
      const path = join(dir, 'v2.sqlite');
      writeFileSync(path, bytes);
      return openFileDatabase(path);
    },
  };

  it.each(Object.entries(opened))(
    'on %s, keeps every row and reference, asks for each history once more and for the holdings',
    async (_, open) => {
      const { bytes, runId } = await version2File();
      const db = await open(bytes);
      try {
        expect(db.get('PRAGMA user_version')).toEqual({ user_version: latestVersion() });
        // Foreign keys are on (dropping the old import_runs would otherwise have nulled this reference).
        expect(db.get('PRAGMA foreign_keys')).toEqual({ foreign_keys: 1 });
        expect(db.get('SELECT provider_activity_id, import_run_id FROM activities')).toEqual({
          provider_activity_id: 'act-1',
          import_run_id: runId,
        });
        expect(db.all('PRAGMA foreign_key_check')).toEqual([]);
        // One whole-history sync per account repairs what the older rules may have missed.
        expect(
          db.all('SELECT account_id, initial_sync_completed_at FROM brokers_sync_state ORDER BY account_id'),
        ).toEqual([
          { account_id: 'empty', initial_sync_completed_at: null },
          { account_id: 'with-history', initial_sync_completed_at: null },
        ]);
        expect(db.all('SELECT account_id FROM holdings_stale ORDER BY account_id')).toEqual([
          { account_id: 'empty' },
          { account_id: 'with-history' },
        ]);
        expect(db.get('SELECT id, status FROM import_runs')).toEqual({ id: runId, status: 'APPLIED' });
        db.run("UPDATE import_runs SET status = 'CANCELLED'");
      } finally {
        db.close();
      }
    },
  );
});
