/**
 * Ingest near the limit (issue: "CLI and engine first sync ≥ 60% of the raw insert limit"): the
 * engine's first sync of a long history, on better-sqlite3 and on sql.js, beside the raw limit on
 * the same schema: the same pages fetched and parsed, then one prepared INSERT per row in one
 * transaction, with no dedup, mapping, validation or holdings. The cloud answers in-process
 * (msw's getResponse), so the figures are the engine's and the database's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import initSqlJs from 'sql.js';
import { performBrokerSync } from '../../src/core/brokerSync.ts';
import { createDemoCloud } from '../../src/demo/demoCloud.ts';
import { DEMO_REFRESH_TOKEN } from '../../src/demo/demoDefaults.ts';
import { openFileDatabase } from '../../src/storage/node/fileDatabase.ts';
import { setSetting } from '../../src/storage/settings.ts';
import { settingsCredentials } from '../../src/storage/settingsCredentials.ts';
import type { SqlDatabase } from '../../src/storage/sqlDatabase.ts';
import { openSqlJsDatabase } from '../../src/storage/sqljs/sqlJsDatabase.ts';
import { createCloudClient } from '../../src/transport/brokerCloud.ts';
import type { HttpClient } from '../../src/transport/http.ts';
import { handlerHttp } from '../support/handlerHttp.ts';
import { type Figure, median } from './figures.ts';

const CLOUD = 'http://bench.local';
const PAGE = 1000;

/** The engine's first sync into `db`; milliseconds and rows stored. */
async function engineSync(db: SqlDatabase, http: HttpClient): Promise<{ ms: number; rows: number }> {
  setSetting(db, 'cloud.refreshToken', DEMO_REFRESH_TOKEN);
  const cloud = createCloudClient({
    apiUrl: CLOUD,
    authUrl: CLOUD,
    apiKey: '',
    http,
    timers: { clock: { now: Date.now }, sleep: () => Promise.resolve() },
    credentials: settingsCredentials(db),
  });
  const started = performance.now();
  await performBrokerSync(
    { db, cloud, clock: { now: Date.now }, emit: () => undefined, log: { warn: () => undefined } },
    'manual',
  );
  const ms = performance.now() - started;
  return { ms, rows: db.get<{ n: number }>('SELECT COUNT(*) AS n FROM activities')?.n ?? 0 };
}

/** The raw limit: the same pages, parsed, each row one prepared INSERT, all in one transaction. */
async function rawInsert(path: string, http: HttpClient): Promise<{ ms: number; rows: number }> {
  openFileDatabase(path).close();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  const started = performance.now();
  const call = async (method: 'GET' | 'POST', url: string, headers: Record<string, string>, body?: string) =>
    JSON.parse((await http({ method, url, headers, timeoutMs: 60_000, ...(body ? { body } : {}) })).body) as Record<
      string,
      unknown
    >;
  const token = (
    await call(
      'POST',
      `${CLOUD}/auth/v1/token?grant_type=refresh_token`,
      { 'content-type': 'application/json' },
      JSON.stringify({ refresh_token: DEMO_REFRESH_TOKEN }),
    )
  ).access_token as string;
  const headers = { authorization: `Bearer ${token}` };
  const accounts = (await call('GET', `${CLOUD}/api/v1/sync/brokerage/accounts`, headers)).accounts as {
    id: string;
  }[];
  const insert = db.prepare(
    `INSERT INTO activities (id, account_id, provider_activity_id, activity_type, status, activity_date, symbol,
       quantity, unit_price, amount, currency, description, source_system, source_record_id, idempotency_key,
       created_at, updated_at)
     VALUES (?, ?, ?, ?, 'POSTED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.exec(
    "INSERT INTO accounts (id, name, currency, provider, provider_account_id, created_at, updated_at) VALUES ('a', 'a', 'CAD', 'x', 'a', '', '')",
  );
  let rows = 0;
  const pages: Record<string, unknown>[][] = [];
  for (const account of accounts) {
    for (let offset = 0; ; offset += PAGE) {
      const page = await call(
        'GET',
        `${CLOUD}/api/v1/sync/brokerage/accounts/${account.id}/activities?offset=${offset}&limit=${PAGE}`,
        headers,
      );
      const items = page.data as Record<string, unknown>[];
      pages.push(items);
      if (items.length < PAGE) break;
    }
  }
  const now = new Date().toISOString();
  db.transaction(() => {
    for (const items of pages) {
      for (const item of items) {
        const symbol = (item.symbol as { symbol?: string } | null)?.symbol ?? null;
        insert.run(
          `${item.id}:${rows}`,
          'a',
          String(item.id),
          String(item.type),
          String(item.trade_date),
          symbol,
          item.units === null ? null : String(item.units),
          item.price === null ? null : String(item.price),
          item.amount === null ? null : String(item.amount),
          (item.currency as { code?: string } | null)?.code ?? null,
          (item.description as string | null) ?? null,
          'bench',
          String(item.id),
          String(rows),
          now,
          now,
        );
        rows++;
      }
    }
  })();
  const ms = performance.now() - started;
  db.close();
  return { ms, rows };
}

export async function ingestFigures(runs: number): Promise<Figure[]> {
  const demo = createDemoCloud({ now: Date.now, historyStart: '2016-01-01' });
  demo.dataset();
  const http = handlerHttp({ [CLOUD]: demo.handlers });
  const dir = mkdtempSync(join(tmpdir(), 'folio-bench-ingest-'));
  const sqlJs = await initSqlJs();
  const raw: number[] = [];
  const file: number[] = [];
  const memory: number[] = [];
  let rows = 0;
  try {
    for (let i = 0; i < runs; i++) {
      const limit = await rawInsert(join(dir, `raw-${i}.sqlite`), http);
      raw.push(limit.rows / limit.ms);
      const db = openFileDatabase(join(dir, `engine-${i}.sqlite`));
      const cli = await engineSync(db, http);
      db.close();
      file.push(cli.rows / cli.ms);
      rows = cli.rows;
      // The browser's save is measured apart (sync.ts): here it is dropped.
      const browser = await openSqlJsDatabase(sqlJs, {
        load: () => Promise.resolve(undefined),
        save: () => Promise.resolve(),
      });
      const engine = await engineSync(browser, http);
      browser.close();
      memory.push(engine.rows / engine.ms);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const limit = median(raw);
  const ratio = (values: number[]) => median(values) / limit;
  return [
    {
      name: `ingest: raw insert limit (${rows.toLocaleString('en')} activities)`,
      value: `${(limit * 1000).toFixed(0)} rows/s`,
    },
    {
      name: 'ingest: engine on better-sqlite3 (CLI, server)',
      value: `${(median(file) * 1000).toFixed(0)} rows/s, ${(ratio(file) * 100).toFixed(0)}% of the limit`,
      target: '≥ 60%',
      pass: ratio(file) >= 0.6,
    },
    {
      name: 'ingest: engine on sql.js (browser)',
      value: `${(median(memory) * 1000).toFixed(0)} rows/s, ${(ratio(memory) * 100).toFixed(0)}% of the limit`,
      target: '≥ 60%',
      pass: ratio(memory) >= 0.6,
    },
  ];
}
