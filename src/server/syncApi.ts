/**
 * Server mode's HTTP API (docs/architecture.md, "Server mode"), on Hono: start a sync, follow syncs live over
 * Server-Sent Events, read what the app shows, and set or clear the refresh token (which is never
 * sent back). When the server has a secret, every request must present it (serverAuth.ts).
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';
import * as v from 'valibot';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import { type ReviewDecision, ReviewError, reviewActivity } from '../core/review.ts';
import type { EmitSyncEvent } from '../core/syncEvents.ts';
import type { SyncRunner } from '../core/syncRunner.ts';
import type { SyncScheduler } from '../core/syncScheduler.ts';
import { getSetting, setSetting } from '../storage/settings.ts';
import type { SqlDatabase } from '../storage/sqlDatabase.ts';
import { lastSuccessfulSyncAt } from '../storage/syncState.ts';
import {
  type ActivityFilter,
  countActivities,
  getActivity,
  listAccounts,
  listActivities,
  listCash,
  listHoldings,
  listImportRuns,
} from '../storage/views.ts';
import { REFUSED_TOKEN } from '../transport/authSession.ts';
import { isCloudError } from '../transport/cloudError.ts';
import type { EventLog, LoggedEvent } from './eventLog.ts';

/** A keep-alive every 15 s keeps proxies from closing a quiet stream. */
const KEEP_ALIVE_MS = 15_000;
/** A refresh token is a few hundred bytes; nothing the API takes is larger. */
const MAX_BODY_BYTES = 16 * 1024;
const MAX_PAGE = 500;

export interface SyncApiDeps {
  db: SqlDatabase;
  clock: Clock;
  log: Logger;
  runner: SyncRunner;
  scheduler: SyncScheduler;
  events: EventLog;
  /** Where the engine's events go (a review emits them too). */
  emit: EmitSyncEvent;
  /** The cloud this server syncs; null for the built-in demo cloud. */
  cloud: { apiUrl: string; authUrl: string } | null;
  /** The database as browsers may keep it: consistent, without secrets (storage/node/snapshot.ts). */
  snapshot(): Uint8Array;
  /** The refresh token was set or cleared: no access token of the old sign-in may be used again. */
  onSessionChange: () => void;
  /** The token as the auth server accepts it (rotated, maybe); rejects with its CloudError (authSession.ts). */
  checkToken(token: string): Promise<string>;
  /** Lets a request through only with the server's secret (serverAuth.ts). */
  requireSecret: MiddlewareHandler;
  /** Overrides the keep-alive interval (tests). */
  keepAliveMs?: number;
}

const badRequest = (c: Context, message: string) => c.json({ error: 'bad_request', message }, 400);

const nullableText = v.nullable(v.string());
/** A review decision as the Activities page sends it; checked again, for meaning, by core/review.ts. */
const ReviewDecisionSchema = v.variant('kind', [
  v.object({ kind: v.literal('confirm') }),
  v.object({ kind: v.literal('delete') }),
  v.object({
    kind: v.literal('correct'),
    correction: v.object({
      activityType: v.string(),
      quantity: nullableText,
      unitPrice: nullableText,
      amount: nullableText,
      activityDate: v.string(),
    }),
  }),
]) satisfies v.GenericSchema<unknown, ReviewDecision>;

const gzipAsync = promisify(gzip);

/** The offline copy of one data version, hashed and compressed once however many browsers fetch it. */
interface Snapshot {
  version: string;
  /** A hash of the bytes: the same data gives the same tag, across restarts too. */
  etag: string;
  raw: Uint8Array;
  gzipped: Promise<Uint8Array>;
}

function activityQuery(c: Context): { filter: ActivityFilter; limit: number; offset: number } | string {
  const query = c.req.query();
  const limit = Number(query.limit ?? 100);
  const offset = Number(query.offset ?? 0);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE)
    return `limit must be a whole number from 1 to ${MAX_PAGE}`;
  if (!Number.isInteger(offset) || offset < 0) return 'offset must be a whole number, 0 or more';
  if (query.needsReview !== undefined && !['true', 'false'].includes(query.needsReview)) {
    return 'needsReview must be true or false';
  }
  const filter: ActivityFilter = {};
  if (query.accountId) filter.accountId = query.accountId;
  if (query.type) filter.type = query.type;
  if (query.from) filter.from = query.from;
  if (query.to) filter.to = query.to;
  if (query.search) filter.search = query.search;
  if (query.needsReview === 'true') filter.needsReview = true;
  return { filter, limit, offset };
}

export function createSyncApi(deps: SyncApiDeps): Hono {
  const { db, runner, scheduler, events } = deps;
  // Names the data's state in this run: every write, the engine's and a review's (whose holdings
  // update emits), is followed by an event, so the newest event's id moves whenever the data does.
  const dataVersion = () => events.lastId();
  let snapshot: Snapshot | null = null;
  const api = new Hono();
  api.use(deps.requireSecret);
  api.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        c.json({ error: 'too_large', message: `Request bodies are at most ${MAX_BODY_BYTES} bytes` }, 413),
    }),
  );

  api.post('/connect/sync', (c) => {
    // Joins a running sync; the outcome arrives on the event stream, after the event named here
    // (a completion before it is of an earlier sync).
    const after = events.lastId();
    runner.request('manual').catch(() => undefined);
    return c.json({ syncing: true, after }, 202);
  });

  api.get('/connect/state', (c) => {
    const next = scheduler.nextRunAt();
    return c.json({
      syncing: runner.isRunning(),
      signedIn: getSetting(db, 'cloud.refreshToken') !== null,
      lastSyncedAt: lastSuccessfulSyncAt(db),
      nextRunAt: next === null ? null : new Date(next).toISOString(),
      cloud: deps.cloud,
      dataVersion: dataVersion(),
      lastEventId: events.lastId(),
    });
  });

  // The browsers' offline copy (docs/architecture.md, "Server mode"): fetched again only when the
  // data changed. The ETag hashes the bytes; X-Data-Version names the state they are of.
  api.get('/database', async (c) => {
    const version = dataVersion();
    if (snapshot?.version !== version) {
      const raw = deps.snapshot();
      const etag = `"${createHash('sha256').update(raw).digest('base64url')}"`;
      snapshot = { version, etag, raw, gzipped: gzipAsync(raw) };
    }
    const headers = {
      etag: snapshot.etag,
      'x-data-version': version,
      'cache-control': 'private, no-cache',
      vary: 'Accept-Encoding',
    };
    if (c.req.header('if-none-match') === snapshot.etag) return c.body(null, 304, headers);
    const type = { ...headers, 'content-type': 'application/vnd.sqlite3' };
    if (/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
      const body = await snapshot.gzipped;
      return c.body(body as Uint8Array<ArrayBuffer>, 200, { ...type, 'content-encoding': 'gzip' });
    }
    return c.body(snapshot.raw as Uint8Array<ArrayBuffer>, 200, type);
  });

  api.get('/events/stream', (c) => {
    // Hono answers HEAD with the GET route and never reads the body: a stream would never end.
    if (c.req.raw.method === 'HEAD') return c.body(null, 200, { 'content-type': 'text/event-stream' });
    return streamSSE(c, async (stream) => {
      const send = (entry: LoggedEvent) =>
        stream.writeSSE({ id: entry.id, event: entry.event.type, data: JSON.stringify(entry.event.payload) });
      // One chain keeps the stream in order. The replay and the subscription are taken in one
      // synchronous step, so no event falls between them and none comes twice.
      let chain = Promise.resolve();
      const enqueue = (entry: LoggedEvent) => {
        chain = chain.then(() => send(entry));
      };
      // A reconnect names the last event it saw (Last-Event-ID), a fresh start the state it read
      // (`?after=`); with neither, only what comes next.
      const after = c.req.header('last-event-id') ?? c.req.query('after');
      if (after !== undefined) for (const entry of events.since(after)) enqueue(entry);
      const unsubscribe = events.subscribe(enqueue);
      const keepAlive = setInterval(() => {
        chain = chain.then(() => stream.write(': keep-alive\n\n').then(() => undefined));
      }, deps.keepAliveMs ?? KEEP_ALIVE_MS);
      await new Promise<void>((resolve) => stream.onAbort(resolve));
      clearInterval(keepAlive);
      unsubscribe();
    });
  });

  api.get('/accounts', (c) => c.json(listAccounts(db)));
  api.get('/activities', (c) => {
    const query = activityQuery(c);
    if (typeof query === 'string') return badRequest(c, query);
    return c.json({
      total: countActivities(db, query.filter),
      items: listActivities(db, query.filter, { limit: query.limit, offset: query.offset }),
    });
  });
  api.post('/activities/:id/review', async (c) => {
    if (!c.req.header('content-type')?.startsWith('application/json')) {
      return c.json({ error: 'unsupported_media_type', message: 'Send the decision as application/json' }, 415);
    }
    const body: unknown = await c.req.json().catch(() => undefined);
    const decision = v.safeParse(ReviewDecisionSchema, body);
    if (!decision.success) {
      return badRequest(c, 'Send {"kind": "confirm" | "delete"} or {"kind": "correct", "correction": {…}} as JSON');
    }
    const id = c.req.param('id');
    // As in the browser, a decision waits for a running sync: the sync settles an account's
    // activities at its end, and must not meet a decision halfway.
    while (runner.isRunning()) await runner.settled();
    if (!getActivity(db, id)) {
      return c.json({ error: 'not_found', message: `There is no activity ${id}: it may have been deleted` }, 404);
    }
    try {
      reviewActivity({ db, clock: deps.clock, emit: deps.emit, log: deps.log }, id, decision.output);
    } catch (error) {
      // The decision was understood but its values are not (a correction's type, number or date).
      if (error instanceof ReviewError) return c.json({ error: 'invalid_decision', message: error.message }, 422);
      throw error;
    }
    return c.body(null, 204);
  });
  api.get('/holdings', (c) => c.json({ holdings: listHoldings(db), cash: listCash(db) }));
  api.get('/import-runs', (c) => {
    const limit = Number(c.req.query('limit') ?? 30);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      return badRequest(c, `limit must be a whole number from 1 to ${MAX_PAGE}`);
    }
    return c.json(listImportRuns(db, limit));
  });

  api.put('/session', async (c) => {
    const body: unknown = await c.req.json().catch(() => undefined);
    const token = (body as { refreshToken?: unknown } | undefined)?.refreshToken;
    if (typeof token !== 'string' || token.trim() === '') {
      return badRequest(c, 'Send {"refreshToken": "…"} as JSON, with a non-empty token');
    }
    // A sign-in counts only once the auth server accepted the token; a refused one changes nothing.
    let accepted: string;
    try {
      accepted = await deps.checkToken(token.trim());
    } catch (error) {
      if (isCloudError(error, 'not-signed-in')) {
        return c.json({ error: 'token_refused', field: 'refreshToken', message: REFUSED_TOKEN }, 422);
      }
      if (isCloudError(error, 'network') || isCloudError(error, 'timeout')) {
        deps.log.warn(`Sign-in: the auth server cannot be reached: ${String(error)}`);
        return c.json(
          { error: 'auth_unreachable', message: "The cloud's auth server can't be reached from this server" },
          502,
        );
      }
      // Any other answer (a 5xx, a malformed body): what it said goes to the log, not the browser.
      if (isCloudError(error)) {
        deps.log.warn(`Sign-in: the auth server failed: ${String(error)}`);
        const message = isCloudError(error, 'request-rejected')
          ? "The cloud's auth server refused the sign-in request; check the server's FOLIO_AUTH_URL"
          : "The cloud's auth server failed to answer; try again later";
        return c.json({ error: 'auth_failed', message }, 502);
      }
      throw error;
    }
    setSetting(db, 'cloud.refreshToken', accepted);
    deps.onSessionChange();
    // Signed in: a sync starts, whose completion comes on the event stream after `after`.
    const after = events.lastId();
    runner.request('manual').catch(() => undefined);
    return c.json({ syncing: true, after }, 202);
  });
  api.delete('/session', (c) => {
    setSetting(db, 'cloud.refreshToken', null);
    deps.onSessionChange();
    return c.body(null, 204);
  });
  return api;
}
