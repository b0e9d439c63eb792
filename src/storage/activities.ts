/**
 * Activities and their tombstones, as rows. The dedup rules that decide which stored row an
 * incoming activity is live in src/core/activityDedup.ts; this file finds the candidates by each
 * identity of docs/cloud-protocol.md and writes what the engine decided (docs/sync-rules.md, "Dedup").
 *
 * `id` is the local primary key; `provider_activity_id` is the cloud's id, unique only within an
 * account and source system. A new activity keeps the cloud's id as its local id when it is free.
 */
import { markHoldingsStale } from './holdings.ts';
import type { SqlDatabase, SqlValue } from './sqlDatabase.ts';

type ActivityStatus = 'POSTED' | 'DRAFT';

export interface ActivityInput {
  /** The cloud's id of the activity. */
  id: string;
  accountId: string;
  activityType: string;
  subtype: string | null;
  status: ActivityStatus;
  activityDate: string;
  settlementDate: string | null;
  symbol: string | null;
  symbolName: string | null;
  quantity: string | null;
  unitPrice: string | null;
  amount: string | null;
  fee: string | null;
  fxRate: string | null;
  currency: string | null;
  description: string | null;
  /** Why it needs review; empty when it does not. */
  reviewReasons: string[];
  sourceSystem: string;
  sourceRecordId: string;
  sourceGroupId: string | null;
  idempotencyKey: string;
}

/** The columns a sync owns, in insert order. */
const SYNCED_COLUMNS = [
  'account_id',
  'provider_activity_id',
  'activity_type',
  'subtype',
  'status',
  'activity_date',
  'settlement_date',
  'symbol',
  'symbol_name',
  'quantity',
  'unit_price',
  'amount',
  'fee',
  'fx_rate',
  'currency',
  'description',
  'review_reasons',
  'source_system',
  'source_record_id',
  'source_group_id',
  'idempotency_key',
] as const;

function syncedValues(input: ActivityInput): SqlValue[] {
  return [
    input.accountId,
    input.id,
    input.activityType,
    input.subtype,
    input.status,
    input.activityDate,
    input.settlementDate,
    input.symbol,
    input.symbolName,
    input.quantity,
    input.unitPrice,
    input.amount,
    input.fee,
    input.fxRate,
    input.currency,
    input.description,
    input.reviewReasons.length > 0 ? JSON.stringify(input.reviewReasons) : null,
    input.sourceSystem,
    input.sourceRecordId,
    input.sourceGroupId,
    input.idempotencyKey,
  ];
}

/** How a stored row or tombstone matches an incoming activity: 1 the same cloud id, 2 the same source record, 3 the same idempotency key. */
type MatchRank = 1 | 2 | 3;

export interface MatchCandidate {
  kind: 'row' | 'tombstone';
  /** The local id (of the row, or of the row the tombstone replaced). */
  id: string;
  rank: MatchRank;
  userModified: boolean;
  /** Null for a tombstone older than the column. */
  activityDate: string | null;
}

/** Candidates of `table` by the three identities, in one indexed query (each OR branch has its index). */
const candidatesSql = (table: string, idColumn: string, userModified: string) => `
  SELECT ${idColumn} AS id, ${userModified} AS user_modified, activity_date,
    CASE WHEN account_id = ? AND source_system = ? AND provider_activity_id = ? THEN 1
         WHEN source_system = ? AND account_id = ? AND source_record_id = ? THEN 2
         ELSE 3 END AS rank
  FROM ${table}
  WHERE (account_id = ? AND source_system = ? AND provider_activity_id = ?)
    OR (source_system = ? AND account_id = ? AND source_record_id = ?)
    OR (account_id = ? AND idempotency_key = ?)`;

const ROW_CANDIDATES = candidatesSql('activities', 'id', 'is_user_modified');
const TOMBSTONE_CANDIDATES = candidatesSql('activity_tombstones', 'activity_id', '0');

/** Every stored row and tombstone of the input's account that matches it by any identity. */
export function findMatchCandidates(db: SqlDatabase, input: ActivityInput): MatchCandidate[] {
  const byId = [input.accountId, input.sourceSystem, input.id];
  const bySource = [input.sourceSystem, input.accountId, input.sourceRecordId];
  const params = [...byId, ...bySource, ...byId, ...bySource, input.accountId, input.idempotencyKey];
  const read = (sql: string, kind: MatchCandidate['kind']) =>
    db
      .all<{ id: string; user_modified: number; rank: MatchRank; activity_date: string | null }>(sql, params)
      .map((row) => ({
        kind,
        id: row.id,
        rank: row.rank,
        userModified: row.user_modified === 1,
        activityDate: row.activity_date,
      }));
  return [...read(ROW_CANDIDATES, 'row'), ...read(TOMBSTONE_CANDIDATES, 'tombstone')];
}

/** Whether the account has any activity or tombstone: none, and only a sync's own rows can match. */
export function hasStoredActivities(db: SqlDatabase, accountId: string): boolean {
  return (
    db.get(
      `SELECT 1 AS found WHERE EXISTS (SELECT 1 FROM activities WHERE account_id = ?)
         OR EXISTS (SELECT 1 FROM activity_tombstones WHERE account_id = ?)`,
      [accountId, accountId],
    ) !== undefined
  );
}

const idTaken = (db: SqlDatabase, id: string): boolean =>
  db.get(
    'SELECT 1 AS taken FROM activities WHERE id = ? UNION ALL SELECT 1 FROM activity_tombstones WHERE activity_id = ?',
    [id, id],
  ) !== undefined;

/**
 * A local id for a new activity: the cloud's id when no row or tombstone has it, else one scoped
 * by account and source system (the same cloud id in two accounts is two activities).
 */
function freeLocalId(db: SqlDatabase, input: ActivityInput): string {
  if (!idTaken(db, input.id)) return input.id;
  const scoped = `${input.accountId}:${input.sourceSystem}:${input.id}`;
  let candidate = scoped;
  for (let n = 2; idTaken(db, candidate); n++) candidate = `${scoped}:${n}`;
  return candidate;
}

/** Stores a new activity; returns its local id. */
export function insertActivity(db: SqlDatabase, input: ActivityInput, importRunId: number, now: string): string {
  const id = freeLocalId(db, input);
  db.run(
    `INSERT INTO activities (id, ${SYNCED_COLUMNS.join(', ')}, import_run_id, created_at, updated_at)
     VALUES (${Array(SYNCED_COLUMNS.length + 4)
       .fill('?')
       .join(', ')})`,
    [id, ...syncedValues(input), importRunId, now, now],
  );
  return id;
}

const UPDATE_IF_CHANGED = `UPDATE activities SET ${SYNCED_COLUMNS.map((column) => `${column} = ?`).join(', ')},
    import_run_id = ?, updated_at = ?
  WHERE id = ? AND NOT (${SYNCED_COLUMNS.map((column) => `${column} IS ?`).join(' AND ')})`;

/** Writes the cloud's version over a stored row; false when nothing of it changed. */
export function updateActivity(
  db: SqlDatabase,
  localId: string,
  input: ActivityInput,
  importRunId: number,
  now: string,
): boolean {
  const values = syncedValues(input);
  return db.run(UPDATE_IF_CHANGED, [...values, importRunId, now, localId, ...values]).changes > 0;
}

/**
 * The date of the newest activity of an account that a successful sync wrote, or null. A failed
 * sync's committed pages do not count: the rest of its window was never fetched.
 */
export function newestSyncedActivityDate(db: SqlDatabase, accountId: string): string | null {
  return (
    db.get<{ at: string | null }>(
      // Newest first down the (account, date) index, stopping at the first a successful run wrote:
      // a look at the newest rows, not a pass over the history.
      `SELECT a.activity_date AS at FROM activities a
       WHERE a.account_id = ? AND EXISTS (
         SELECT 1 FROM import_runs r WHERE r.id = a.import_run_id AND r.status IN ('APPLIED', 'NEEDS_REVIEW'))
       ORDER BY a.activity_date DESC LIMIT 1`,
      [accountId],
    )?.at ?? null
  );
}

/** Activities of an account still waiting for review (status DRAFT). */
export function countDrafts(db: SqlDatabase, accountId: string): number {
  return (
    db.get<{ n: number }>("SELECT COUNT(*) AS n FROM activities WHERE account_id = ? AND status = 'DRAFT'", [accountId])
      ?.n ?? 0
  );
}

/** Deletes an activity and leaves a tombstone, so later syncs do not bring it back; its account's holdings are stale. */
export function deleteActivity(db: SqlDatabase, id: string, now: string): void {
  db.transaction(() => {
    const row = db.get<{ account_id: string }>('SELECT account_id FROM activities WHERE id = ?', [id]);
    if (row) markHoldingsStale(db, row.account_id, now);
    db.run(
      `INSERT OR REPLACE INTO activity_tombstones (activity_id, account_id, source_system, source_record_id,
         idempotency_key, provider_activity_id, activity_date, deleted_at)
       SELECT id, account_id, source_system, source_record_id, idempotency_key, provider_activity_id, activity_date, ?
       FROM activities WHERE id = ?`,
      [now, id],
    );
    db.run('DELETE FROM activities WHERE id = ?', [id]);
  });
}
