/**
 * One sync per database file across processes (cron and a person at the terminal, say). The lock
 * is SQLite's write lock on a small, always empty database beside the file (`<db>.lock`), held by an
 * open BEGIN IMMEDIATE. That is a kernel advisory lock: taking it is one atomic step, and it is gone
 * the moment its process dies (SIGKILL included), so a crash leaves nothing stale and no pid has to
 * be guessed alive (pid 1 in every container, recycled pids). Releasing never deletes the file, so it
 * cannot drop another holder's lock. SQLite also refuses a second connection in this same process.
 *
 * POSIX drops all of a process's locks on a file when any of its descriptors on that file closes, so
 * this module only opens the lock file itself when no lock can be held on it: when creating it, and
 * when resetting a file that is not a database. SQLite defers closing its own descriptors for this.
 */
import {
  closeSync,
  fchmodSync,
  ftruncateSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { hasSqliteHeader, SQLITE_HEADER_LENGTH } from '../storage/sqliteHeader.ts';

/** `owner` is the holder's pid as it wrote it down, for messages only; null when unknown. */
export type FileLock = { acquired: true; release(): void } | { acquired: false; owner: number | null };

const codeOf = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The pid file is a courtesy to the next contender; failing to keep it must not fail or keep a lock. */
function bestEffort(action: () => void): void {
  try {
    action();
  } catch {
    // Nothing depends on it.
  }
}

function createLockFile(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if (codeOf(error) === 'EEXIST') return;
    if (codeOf(error) === 'ENOENT') throw new Error(`the folder ${dirname(path)} does not exist`, { cause: error });
    throw new Error(`cannot create the lock file ${path}: ${messageOf(error)}`, { cause: error });
  }
  closeSync(fd);
}

type Attempt = { held: Database.Database } | 'busy' | 'not-a-database';

function tryLock(path: string): Attempt {
  let db: Database.Database;
  try {
    db = new Database(path, { fileMustExist: true, timeout: 0 });
  } catch (error) {
    throw new Error(`cannot open the lock file ${path}: ${messageOf(error)}`, { cause: error });
  }
  try {
    // A write transaction on an empty database builds page 1 in the cache; with the journal in
    // memory that leaves no `-journal` file beside the lock, even when the holder is killed.
    db.pragma('journal_mode = MEMORY');
    db.exec('BEGIN IMMEDIATE');
    return { held: db };
  } catch (error) {
    db.close();
    if (codeOf(error) === 'SQLITE_BUSY') return 'busy';
    if (codeOf(error) === 'SQLITE_NOTADB') return 'not-a-database';
    throw new Error(`cannot lock ${path}: ${messageOf(error)}`, { cause: error });
  }
}

/**
 * Earlier versions left a pid as text in the lock file. Emptying it in place (an empty file is an
 * empty database) keeps one file for every contender; renaming a fresh one over it could leave two
 * processes each holding the lock on a different file. Nothing is held on a file that is not a
 * database, and ours stay empty, so a contender emptying it again changes nothing.
 */
function resetOldLockFile(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'r+');
  } catch (error) {
    throw new Error(`cannot reset the old lock file ${path}: ${messageOf(error)}`, { cause: error });
  }
  try {
    const header = Buffer.alloc(SQLITE_HEADER_LENGTH);
    readSync(fd, header, 0, header.length, 0);
    if (hasSqliteHeader(header)) throw new Error('it is a damaged SQLite file, not an old lock file; remove it');
    ftruncateSync(fd, 0);
    bestEffort(() => fchmodSync(fd, 0o600));
  } catch (error) {
    throw new Error(`cannot reset the old lock file ${path}: ${messageOf(error)}`, { cause: error });
  } finally {
    closeSync(fd);
  }
}

function readOwner(pidPath: string): number | null {
  try {
    const text = readFileSync(pidPath, 'utf8').trim();
    return /^[1-9]\d*$/.test(text) ? Number(text) : null;
  } catch {
    return null;
  }
}

/** Takes the lock for `databasePath` at once, or reports it held; throws when it cannot be tried at all. */
export function lockFile(databasePath: string): FileLock {
  const path = `${databasePath}.lock`;
  const pidPath = `${path}.pid`;
  createLockFile(path);
  let attempt = tryLock(path);
  if (attempt === 'not-a-database') {
    resetOldLockFile(path);
    attempt = tryLock(path);
  }
  if (attempt === 'not-a-database') throw new Error(`${path} keeps turning into something that is not a lock file`);
  if (attempt === 'busy') return { acquired: false, owner: readOwner(pidPath) };

  const db = attempt.held;
  // Renamed into place, so a contender reads a whole pid or the previous one, never half of one.
  bestEffort(() => {
    const temporary = `${pidPath}.${process.pid}`;
    writeFileSync(temporary, String(process.pid), { mode: 0o600 });
    renameSync(temporary, pidPath);
  });
  let held = true;
  return {
    acquired: true,
    release() {
      if (!held) return;
      held = false;
      // Removed while the lock is still held, so the pid file is certainly this holder's own.
      bestEffort(() => rmSync(pidPath, { force: true }));
      // Closing rolls the open transaction back, which releases SQLite's lock.
      db.close();
    },
  };
}
