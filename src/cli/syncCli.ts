/**
 * The sync CLI's composition root: a SQLite file, the cloud over HTTP (or the built-in demo
 * cloud served in-process on loopback, so the real client runs), the engine, and a printer.
 * Everything that touches the process (argv, env, streams, time) is passed in, so tests run
 * it in-process.
 */
import { performBrokerSync } from '../core/brokerSync.ts';
import type { Clock, Sleep } from '../core/clock.ts';
import type { SyncEvent, SyncResult } from '../core/syncEvents.ts';
import { skippedResult } from '../core/syncOutcome.ts';
import { recoverInterruptedSync } from '../core/syncRecovery.ts';
import { createSyncRunner } from '../core/syncRunner.ts';
import { createDemoCloud } from '../demo/demoCloud.ts';
import { DEMO_REFRESH_TOKEN } from '../demo/demoDefaults.ts';
import { type HandlerServer, serveHandlers } from '../demo/serveHandlers.ts';
import { fetchHttp } from '../platform/fetchHttp.ts';
import { openFileDatabase } from '../storage/node/fileDatabase.ts';
import { adoptSuppliedRefreshToken } from '../storage/node/suppliedToken.ts';
import { getSetting, setSetting } from '../storage/settings.ts';
import { settingsCredentials } from '../storage/settingsCredentials.ts';
import type { SqlDatabase } from '../storage/sqlDatabase.ts';
import { StorageError } from '../storage/storageError.ts';
import { createCloudClient } from '../transport/brokerCloud.ts';
import type { HttpClient } from '../transport/http.ts';
import { type CliOptions, parseCliOptions, USAGE, UsageError } from './cliOptions.ts';
import { describeResult, printable, progressLine } from './cliOutput.ts';
import { type FileLock, lockFile } from './fileLock.ts';

export interface CliDeps {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  clock: Clock;
  sleep: Sleep;
  http?: HttpClient;
  /** Opens the database file (default: openFileDatabase); the crash tests wrap it. */
  openDatabase?: (path: string) => SqlDatabase;
}

const EXIT_OK = 0;
const EXIT_SYNC_FAILED = 1;
const EXIT_USAGE = 2;

interface CloudTarget {
  apiUrl: string;
  authUrl: string;
  apiKey: string;
  demo: HandlerServer | null;
}

/**
 * Where to sync from: flags, else the cloud this database was last pointed at, else the demo.
 * Pointing a database at another cloud forgets the stored sign-in, which belonged to the old one.
 */
async function resolveCloud(db: SqlDatabase, options: CliOptions, clock: Clock): Promise<CloudTarget> {
  if (options.apiUrl && options.authUrl) {
    if (options.apiUrl !== getSetting(db, 'cloud.apiUrl') || options.authUrl !== getSetting(db, 'cloud.authUrl')) {
      setSetting(db, 'cloud.refreshToken', null);
      setSetting(db, 'cloud.suppliedTokenHash', null);
    }
    setSetting(db, 'cloud.apiUrl', options.apiUrl);
    setSetting(db, 'cloud.authUrl', options.authUrl);
  }
  if (options.apiKey !== null) setSetting(db, 'cloud.apiKey', options.apiKey);
  if (options.refreshToken) adoptSuppliedRefreshToken(db, options.refreshToken);
  const apiKey = getSetting(db, 'cloud.apiKey') ?? '';
  const apiUrl = getSetting(db, 'cloud.apiUrl');
  const authUrl = getSetting(db, 'cloud.authUrl');
  if (apiUrl && authUrl) return { apiUrl, authUrl, apiKey, demo: null };

  const demo = await serveHandlers(createDemoCloud({ now: () => clock.now() }).handlers);
  if (!getSetting(db, 'cloud.refreshToken')) setSetting(db, 'cloud.refreshToken', DEMO_REFRESH_TOKEN);
  return { apiUrl: demo.url, authUrl: demo.url, apiKey, demo };
}

function exitCodeOf(result: SyncResult): number {
  return result.skipped || result.success ? EXIT_OK : EXIT_SYNC_FAILED;
}

export async function runSyncCli(deps: CliDeps): Promise<number> {
  const { stdout, stderr } = deps;
  let options: CliOptions;
  try {
    options = parseCliOptions(deps.argv, deps.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    stderr.write(`folio-sync: ${error.message} (see --help)\n`);
    return EXIT_USAGE;
  }
  if (options.help) {
    stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }

  let lock: FileLock;
  try {
    lock = lockFile(options.db);
  } catch (error) {
    stderr.write(`folio-sync: cannot use ${options.db}: ${(error as Error).message}\n`);
    return EXIT_USAGE;
  }
  if (!lock.acquired) {
    const owner = lock.owner === null ? '' : ` (process ${lock.owner})`;
    const result = skippedResult('busy', `Another sync of ${options.db} is running${owner}`);
    stdout.write(options.json ? `${JSON.stringify({ type: 'result', payload: result })}\n` : `${result.message}\n`);
    return EXIT_OK;
  }
  try {
    return await syncLocked(deps, options);
  } finally {
    lock.release();
  }
}

/** An error of SQLite itself, as better-sqlite3 throws it (its `code` is SQLITE_…). */
const isSqliteError = (error: unknown): error is Error => {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('SQLITE_');
};

async function syncLocked(deps: CliDeps, options: CliOptions): Promise<number> {
  const { stdout, stderr } = deps;
  let db: SqlDatabase;
  try {
    db = (deps.openDatabase ?? openFileDatabase)(options.db);
  } catch (error) {
    if (!(error instanceof StorageError)) throw error;
    stderr.write(`folio-sync: ${error.message}\n`);
    return EXIT_USAGE;
  }

  const showProgress = !options.json && stderr.isTTY === true;
  let progressShown = false;
  const clearProgress = () => {
    if (progressShown) stderr.write('\r\x1b[K');
    progressShown = false;
  };
  const onEvent = (event: SyncEvent) => {
    if (options.json) stdout.write(`${JSON.stringify(event)}\n`);
    else if (showProgress && event.type === 'broker:sync-progress') {
      stderr.write(`\r\x1b[K${progressLine(event.payload)}`);
      progressShown = true;
    }
  };

  let cloud: CloudTarget | null = null;
  try {
    cloud = await resolveCloud(db, options, deps.clock);
    const timers = { clock: deps.clock, sleep: deps.sleep };
    const client = createCloudClient({
      apiUrl: cloud.apiUrl,
      authUrl: cloud.authUrl,
      apiKey: cloud.apiKey,
      http: deps.http ?? fetchHttp(),
      timers,
      credentials: settingsCredentials(db),
    });
    const log = {
      warn(message: string) {
        clearProgress();
        stderr.write(`warning: ${printable(message, 500)}\n`);
      },
    };
    // Before the throttle decides anything: a crashed sync's rows and holdings are repaired on every start.
    await recoverInterruptedSync({ db, clock: deps.clock, emit: onEvent, log });
    const runner = createSyncRunner({
      db,
      clock: deps.clock,
      sync: (trigger) => performBrokerSync({ db, cloud: client, clock: deps.clock, emit: onEvent, log }, trigger),
    });
    const result = await runner.request(options.auto ? 'auto' : 'manual');
    clearProgress();
    if (options.json) stdout.write(`${JSON.stringify({ type: 'result', payload: result })}\n`);
    else stdout.write(`${describeResult(result, cloud.demo !== null).join('\n')}\n`);
    return exitCodeOf(result);
  } catch (error) {
    // The database failed under the sync (another program holding it past the busy timeout, a
    // full disk): one line, and the failure's exit status. What was committed stays consistent.
    if (!isSqliteError(error)) throw error;
    clearProgress();
    stderr.write(`folio-sync: the sync stopped: ${error.message}\n`);
    return EXIT_SYNC_FAILED;
  } finally {
    await cloud?.demo?.close();
    db.close();
  }
}
