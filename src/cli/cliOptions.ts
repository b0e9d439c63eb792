/** The sync CLI's command line: parsed and checked, or a one-line reason it is not usable. */
import { parseArgs } from 'node:util';
import { checkCloudUrl } from '../platform/cloudUrl.ts';

export const USAGE = `Usage: npm run sync -- --db FILE [--api-url URL --auth-url URL] [--api-key KEY]
                       [--refresh-token TOKEN] [--auto] [--json]

One broker sync into a SQLite file (created when new).
  --db FILE              the database file
  --api-url URL          the cloud API (default: the built-in demo cloud)
  --auth-url URL         the cloud's auth server (given with --api-url)
  --api-key KEY          the auth server's publishable key, if it wants one
  --refresh-token TOKEN  sign in with this token (or set FOLIO_REFRESH_TOKEN);
                         rotated tokens are kept in the database for the next run
  --auto                 apply the throttle (for cron): do nothing unless a sync is due
  --json                 one JSON line per event, then the result, on stdout

Exit status: 0 synced (or nothing to do), 1 an account or the sync failed, 2 bad arguments or database.`;

export interface CliOptions {
  db: string;
  apiUrl: string | null;
  authUrl: string | null;
  apiKey: string | null;
  refreshToken: string | null;
  auto: boolean;
  json: boolean;
  help: boolean;
}

export class UsageError extends Error {}

function checkUrl(flag: string, value: string | undefined): string | null {
  if (value === undefined) return null;
  const checked = checkCloudUrl(value);
  if ('problem' in checked) throw new UsageError(`${flag}: ${checked.problem}`);
  return checked.url;
}

export function parseCliOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): CliOptions {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const help = values.help ?? false;
  if (!help && !values.db) throw new UsageError('--db FILE is required');
  const apiUrl = checkUrl('--api-url', values['api-url']);
  const authUrl = checkUrl('--auth-url', values['auth-url']);
  if ((apiUrl === null) !== (authUrl === null)) throw new UsageError('--api-url and --auth-url go together');
  const token = values['refresh-token'] ?? env.FOLIO_REFRESH_TOKEN;
  return {
    db: values.db ?? '',
    apiUrl,
    authUrl,
    apiKey: values['api-key'] ?? null,
    refreshToken: token?.trim() || null,
    auto: values.auto ?? false,
    json: values.json ?? false,
    help,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      db: { type: 'string' },
      'api-url': { type: 'string' },
      'auth-url': { type: 'string' },
      'api-key': { type: 'string' },
      'refresh-token': { type: 'string' },
      auto: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
