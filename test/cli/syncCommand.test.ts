/**
 * `npm run sync` as a user runs it: a separate process, the built-in demo cloud served
 * in-process on loopback, real time, real exit codes.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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

describe('npm run sync', () => {
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
