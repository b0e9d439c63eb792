/**
 * The lock that keeps to one sync per database file: refused in this process and in others while
 * held, free again the moment a holder is killed, never released on someone else's behalf, and
 * not stuck on a lock file left by an earlier version.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FileLock, lockFile } from '../../src/cli/fileLock.ts';

const HELPER = join(import.meta.dirname, 'support', 'holdLock.ts');
const ROOT = join(import.meta.dirname, '..', '..');

let dir: string;
let dbPath: string;
const held: FileLock[] = [];
const children: ChildProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'folio-lock-'));
  dbPath = join(dir, 'folio.sqlite');
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const lock of held.splice(0)) if (lock.acquired) lock.release();
  rmSync(dir, { recursive: true, force: true });
});

function lock(): FileLock {
  const result = lockFile(dbPath);
  held.push(result);
  return result;
}

function acquired(result: FileLock): Extract<FileLock, { acquired: true }> {
  if (!result.acquired) throw new Error(`expected the lock, it is held by ${result.owner}`);
  return result;
}

/** Runs the helper in another Node process; resolves with its first line (`locked` or `busy <pid>`). */
function otherProcess(): { child: ChildProcess; firstLine: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', HELPER, dbPath], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const firstLine = new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const end = out.indexOf('\n');
      if (end >= 0) resolve(out.slice(0, end));
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('exit', (code) => reject(new Error(`helper exited (${code}) before a line: ${err}`)));
  });
  return { child, firstLine };
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('lockFile', () => {
  it('refuses a second lock in the same process while the first is held, and grants it after release', () => {
    const first = acquired(lock());
    expect(lock()).toEqual({ acquired: false, owner: process.pid });
    expect(lock().acquired).toBe(false);
    first.release();
    acquired(lock());
  });

  it('refuses another process while held, and is free at once when the holder is killed', async () => {
    const { child, firstLine } = otherProcess();
    expect(await firstLine).toBe('locked');
    expect(lock()).toEqual({ acquired: false, owner: child.pid });
    await killed(child);
    acquired(lock());
  });

  it('still refuses other processes after a refused attempt in this process closed its connection', async () => {
    acquired(lock());
    expect(lock().acquired).toBe(false);
    expect(await otherProcess().firstLine).toBe(`busy ${process.pid}`);
  });

  it('release never frees a lock that is no longer its own', async () => {
    const first = acquired(lock());
    first.release();
    const second = acquired(lock());
    first.release();
    expect(lock().acquired).toBe(false);
    second.release();

    const { child, firstLine } = otherProcess();
    expect(await firstLine).toBe('locked');
    first.release();
    second.release();
    expect(lock()).toEqual({ acquired: false, owner: child.pid });
    expect(readFileSync(`${dbPath}.lock.pid`, 'utf8')).toBe(String(child.pid));
  });

  it('keeps the lock file private and leaves only it behind', () => {
    const first = acquired(lock());
    expect(readFileSync(`${dbPath}.lock.pid`, 'utf8')).toBe(String(process.pid));
    expect(readdirSync(dir).sort()).toEqual(['folio.sqlite.lock', 'folio.sqlite.lock.pid']);
    if (process.platform !== 'win32') expect(statSync(`${dbPath}.lock`).mode & 0o777).toBe(0o600);
    first.release();
    expect(readdirSync(dir)).toEqual(['folio.sqlite.lock']);
  });

  it.each([
    ['a pid', '12345'],
    ['this process', String(process.pid)],
    ['nothing parseable', 'garbage\n\0'.repeat(50)],
  ])('replaces a lock file from an earlier version holding %s, and takes the lock', (_, text) => {
    writeFileSync(`${dbPath}.lock`, text);
    acquired(lock());
    expect(lock()).toEqual({ acquired: false, owner: process.pid });
  });

  it('throws a clear error for a database in a folder that does not exist', () => {
    const missing = join(dir, 'nope');
    expect(() => lockFile(join(missing, 'folio.sqlite'))).toThrow(`the folder ${missing} does not exist`);
    expect(existsSync(missing)).toBe(false);
  });
});
