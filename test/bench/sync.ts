/**
 * `npm run bench`: how long one sync of the demo cloud's history takes on each storage
 * engine, and what the browser's save costs. The cloud answers in-process (msw's
 * getResponse, no sockets), so the figures are the engine's and the database's.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { handlerHttp } from '../support/handlerHttp.ts';

const RUNS = 5;
const demo = createDemoCloud({ now: Date.now });
const http = handlerHttp({ 'http://demo.local': demo.handlers });

async function timeSync(db: SqlDatabase): Promise<{ ms: number; upserted: number }> {
  setSetting(db, 'cloud.refreshToken', DEMO_REFRESH_TOKEN);
  const cloud = createCloudClient({
    apiUrl: 'http://demo.local',
    authUrl: 'http://demo.local',
    apiKey: '',
    http,
    timers: { clock: { now: Date.now }, sleep: () => Promise.resolve() },
    credentials: settingsCredentials(db),
  });
  const started = performance.now();
  const result = await performBrokerSync(
    { db, cloud, clock: { now: Date.now }, emit: () => undefined, log: { warn: () => undefined } },
    'manual',
  );
  return { ms: performance.now() - started, upserted: result.activitiesSynced.activitiesUpserted };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const report = (label: string, values: number[], extra = '') =>
  process.stdout.write(
    `${label.padEnd(44)} median ${median(values).toFixed(0).padStart(5)} ms  (${values.map((v) => v.toFixed(0)).join(', ')})${extra}\n`,
  );

const sqlJs = await initSqlJs();
const first: number[] = [];
const again: number[] = [];
const saves: number[] = [];
let size = 0;
let upserted = 0;
for (let i = 0; i < RUNS; i++) {
  let bytes: Uint8Array | undefined;
  const store = {
    load: async () => undefined,
    save: async (saved: Uint8Array) => {
      bytes = saved;
    },
  };
  const db = await openSqlJsDatabase(sqlJs, store);
  const run = await timeSync(db);
  first.push(run.ms);
  upserted = run.upserted;
  again.push((await timeSync(db)).ms);
  db.run("UPDATE settings SET value = value WHERE key = 'cloud.refreshToken'");
  const started = performance.now();
  await db.persist();
  saves.push(performance.now() - started);
  size = bytes?.length ?? 0;
  db.close();
}
process.stdout.write(`Demo history: ${upserted} activities in 4 accounts; ${RUNS} runs each.\n`);
report('sql.js: first sync (whole history)', first);
report('sql.js: second sync (incremental window)', again);
report('sql.js: export for the IndexedDB save', saves, `  (${(size / 1024).toFixed(0)} KiB)`);

const dir = mkdtempSync(join(tmpdir(), 'folio-bench-'));
try {
  const fileFirst: number[] = [];
  const fileAgain: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const path = join(dir, `bench-${i}.sqlite`);
    const db = openFileDatabase(path);
    fileFirst.push((await timeSync(db)).ms);
    fileAgain.push((await timeSync(db)).ms);
    db.close();
    size = statSync(path).size;
  }
  report('better-sqlite3 file: first sync', fileFirst, `  (${(size / 1024).toFixed(0)} KiB file)`);
  report('better-sqlite3 file: second sync', fileAgain);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
