/**
 * The sync CLI in a process of its own that kills itself (SIGKILL: no cleanup, no handler) at a
 * chosen point of its writes, for the crash tests. `FOLIO_CRASH_AT=n` kills it just before its
 * n-th event: a statement about to run, or a transaction just committed. `FOLIO_CRASH_LOG=path`
 * writes one line per event, so a test can choose its points. Otherwise it is the CLI unchanged.
 */
import { appendFileSync } from 'node:fs';
import { runSyncCli } from '../../../src/cli/syncCli.ts';
import { systemClock, systemSleep } from '../../../src/platform/realTime.ts';
import { openFileDatabase } from '../../../src/storage/node/fileDatabase.ts';
import type { SqlDatabase } from '../../../src/storage/sqlDatabase.ts';

const crashAt = Number(process.env.FOLIO_CRASH_AT ?? 0);
const log = process.env.FOLIO_CRASH_LOG;
let events = 0;

function event(what: string): void {
  events++;
  if (log) appendFileSync(log, `${what.replace(/\s+/g, ' ').trim().slice(0, 80)}\n`);
  if (events === crashAt) process.kill(process.pid, 'SIGKILL');
}

function crashing(db: SqlDatabase): SqlDatabase {
  let depth = 0;
  return {
    ...db,
    run(sql, params) {
      event(sql);
      return db.run(sql, params);
    },
    transaction(fn) {
      depth++;
      let result: ReturnType<typeof fn>;
      try {
        result = db.transaction(fn);
      } finally {
        depth--;
      }
      if (depth === 0) event('COMMIT');
      return result;
    },
  };
}

process.exitCode = await runSyncCli({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  clock: systemClock,
  sleep: systemSleep,
  openDatabase: (path) => crashing(openFileDatabase(path)),
});
