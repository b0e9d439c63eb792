/**
 * One sync per database file across processes (cron and a person at the terminal, say): a
 * lock file beside the database, holding the owner's pid. A lock left by a process that died
 * is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export type FileLock = { acquired: true; release(): void } | { acquired: false; owner: number };

export function lockFile(databasePath: string): FileLock {
  const path = `${databasePath}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return { acquired: true, release: () => rmSync(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(owner) && isAlive(owner)) return { acquired: false, owner };
      rmSync(path, { force: true });
    }
  }
  throw new Error(`Cannot lock ${databasePath}: ${path} keeps coming back`);
}
