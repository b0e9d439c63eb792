/**
 * Activities and the dedup rules of CLOUD_API.md "Identity and dedup": an incoming activity
 * matches a stored one by id, else by (source_system, account, source_record_id), else by
 * idempotency key. A match the user edited is left alone; one the user deleted (a tombstone)
 * is not brought back; otherwise the stored row is updated, and only counted as updated when
 * something actually changed.
 *
 * Matching by source record or idempotency key is for a provider that re-issued ids; neither
 * pairs an incoming activity with a row (or tombstone) already matched in the same sync. So two
 * genuinely identical trades on one day stay two rows, a dividend and its withholding tax that
 * share a reference stay two rows, and deleting one trade does not swallow an identical new one.
 */
import type { SqlDatabase, SqlValue } from './sqlDatabase.ts';

type ActivityStatus = 'POSTED' | 'DRAFT';

export interface ActivityInput {
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

export type UpsertOutcome = 'inserted' | 'updated' | 'unchanged' | 'kept-user-edit' | 'kept-deleted';

/** The columns a sync owns, in insert order; compared to decide "unchanged". */
const SYNCED_COLUMNS = [
  'account_id',
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

type Candidate = Record<string, SqlValue> & { id: string; rank: number };

/**
 * The best match by CLOUD_API.md's order: 1 the same id, 2 the same source record, 3 the same
 * idempotency key; a rank 2 or 3 match already claimed in this sync does not count.
 */
function bestMatch(candidates: Candidate[], claimed: ReadonlySet<string>): Candidate | undefined {
  return candidates
    .filter((candidate) => candidate.rank === 1 || !claimed.has(candidate.id))
    .sort((a, b) => a.rank - b.rank)[0];
}

/** Rows of `table` matching an incoming activity by any of its three identities, ranked. */
const rankedMatchSql = (table: string, idColumn: string, columns: string) => `
  SELECT ${columns},
    CASE WHEN ${idColumn} = ? THEN 1 WHEN source_system = ? AND account_id = ? AND source_record_id = ? THEN 2 ELSE 3 END AS rank
  FROM ${table}
  WHERE ${idColumn} = ? OR (source_system = ? AND account_id = ? AND source_record_id = ?)
    OR (account_id = ? AND idempotency_key = ?)`;

const MATCH_SQL = rankedMatchSql('activities', 'id', '*');
const TOMBSTONE_SQL = rankedMatchSql('activity_tombstones', 'activity_id', 'activity_id AS id');

/** Tombstones share the claimed set with rows, under their own prefix. */
const tombstoneClaim = (id: string) => `tombstone:${id}`;

/**
 * Applies one activity from the cloud. `claimed` collects the stored identities matched during
 * this account's sync (see the file header).
 */
export function upsertSyncedActivity(
  db: SqlDatabase,
  input: ActivityInput,
  importRunId: number,
  claimed: Set<string>,
  now: string,
): UpsertOutcome {
  const identity = [input.id, input.sourceSystem, input.accountId, input.sourceRecordId];
  const params = [...identity, ...identity, input.accountId, input.idempotencyKey];

  const tombstone = db
    .all<Candidate>(TOMBSTONE_SQL, params)
    .filter((candidate) => candidate.rank === 1 || !claimed.has(tombstoneClaim(candidate.id)))
    .sort((a, b) => a.rank - b.rank)[0];
  if (tombstone) {
    claimed.add(tombstoneClaim(tombstone.id));
    return 'kept-deleted';
  }

  const match = bestMatch(db.all<Candidate>(MATCH_SQL, params), claimed);
  const values = syncedValues(input);

  if (!match) {
    db.run(
      `INSERT INTO activities (id, ${SYNCED_COLUMNS.join(', ')}, import_run_id, created_at, updated_at)
       VALUES (${Array(SYNCED_COLUMNS.length + 4)
         .fill('?')
         .join(', ')})`,
      [input.id, ...values, importRunId, now, now],
    );
    claimed.add(input.id);
    return 'inserted';
  }

  claimed.add(match.id);
  if (match.is_user_modified) return 'kept-user-edit';
  if (SYNCED_COLUMNS.every((column, i) => match[column] === values[i])) return 'unchanged';
  db.run(
    `UPDATE activities SET ${SYNCED_COLUMNS.map((column) => `${column} = ?`).join(', ')},
       import_run_id = ?, updated_at = ? WHERE id = ?`,
    [...values, importRunId, now, match.id],
  );
  return 'updated';
}

/** Activities of an account still waiting for review (status DRAFT). */
export function countDrafts(db: SqlDatabase, accountId: string): number {
  return (
    db.get<{ n: number }>("SELECT COUNT(*) AS n FROM activities WHERE account_id = ? AND status = 'DRAFT'", [accountId])
      ?.n ?? 0
  );
}

/** Deletes an activity and leaves a tombstone, so later syncs do not bring it back. */
export function deleteActivity(db: SqlDatabase, id: string, now: string): void {
  db.transaction(() => {
    db.run(
      `INSERT OR REPLACE INTO activity_tombstones (activity_id, account_id, source_system, source_record_id, idempotency_key, deleted_at)
       SELECT id, account_id, source_system, source_record_id, idempotency_key, ? FROM activities WHERE id = ?`,
      [now, id],
    );
    db.run('DELETE FROM activities WHERE id = ?', [id]);
  });
}
