/**
 * `npm run sync` as a user runs it: a separate process, the built-in demo cloud served
 * in-process on loopback, real time, real exit codes.
 */
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'folio-command-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function sync(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      env: { ...process.env, FOLIO_REFRESH_TOKEN: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/**
 * The CLI as a user without root's right to write anything: when the tests run as root (CI),
 * through `su nobody`, on a folder given to nobody.
 */
async function syncAsUser(folder: string, ...args: string[]): Promise<{ code: number; stderr: string }> {
  const command = [process.execPath, '--import', 'tsx', 'src/cli/main.ts', ...args];
  const asRoot = process.getuid?.() === 0;
  if (asRoot) await run('chown', ['-R', 'nobody', folder]);
  const [file, argv] = asRoot
    ? ['su', ['nobody', '-s', '/bin/sh', '-c', command.map((part) => `'${part}'`).join(' ')]]
    : [command[0] ?? '', command.slice(1)];
  try {
    const { stderr } = await run(file, argv as string[], { env: { ...process.env, FOLIO_REFRESH_TOKEN: '' } });
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

/** Whether the CLI can be run as a user other than root here (it cannot where the checkout is root's alone). */
const asUserPossible =
  process.getuid?.() !== 0 ||
  spawnSync('su', ['nobody', '-s', '/bin/sh', '-c', `test -r '${join(process.cwd(), 'src/cli/main.ts')}'`]).status ===
    0;

describe('npm run sync', () => {
  it.runIf(asUserPossible)(
    'refuses a read-only file with one line and exit status 2, leaving nothing beside it',
    async () => {
      const db = join(dir, 'x.sqlite');
      expect((await sync('--db', db)).code).toBe(0);
      chmodSync(db, 0o444);
      const before = readdirSync(dir).sort();
      const refused = await syncAsUser(dir, '--db', db);
      expect(refused).toEqual({ code: 2, stderr: `folio-sync: Cannot write ${db}: it is read-only\n` });
      expect(readdirSync(dir).sort()).toEqual(before);
    },
  );

  it('says in one line, with exit status 1, that another program held the database past its patience', async () => {
    const db = join(dir, 'x.sqlite');
    expect((await sync('--db', db)).code).toBe(0);
    const holder = new Database(db);
    holder.exec('BEGIN EXCLUSIVE');
    try {
      const held = await sync('--db', db);
      expect(held.code).toBe(1);
      expect(held.stderr).toBe('folio-sync: the sync stopped: database is locked\n');
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });

  it('syncs the built-in demo cloud into a new file; a second run inserts 0 activities', async () => {
    const db = join(dir, 'x.sqlite');
    const first = await sync('--db', db, '--json');
    expect(first.code).toBe(0);
    const result = JSON.parse(first.stdout.trim().split('\n').at(-1) ?? '');
    expect(result.type).toBe('result');
    expect(result.payload.activitiesSynced.activitiesUpserted).toBeGreaterThanOrEqual(5000);

    const second = await sync('--db', db, '--json');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout.trim().split('\n').at(-1) ?? '').payload.activitiesSynced.activitiesUpserted).toBe(
      0,
    );

    const file = new Database(db, { readonly: true });
    expect(file.prepare('SELECT COUNT(*) FROM activities').pluck().get()).toBe(
      result.payload.activitiesSynced.activitiesUpserted,
    );
    file.close();
  });

  it('exits 2 on a bad argument', async () => {
    const bad = await sync('--db');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^folio-sync: .*\n$/);
  });
});
