/**
 * The review queue's writes: activities a sync flagged (DRAFT) wait for a person, who confirms,
 * corrects or deletes them (checked in src/core/review.ts). Every decision marks the activity as
 * the user's (later syncs leave it alone, or, deleted, do not bring it back), marks the account's
 * holdings stale, and takes the account out of NEEDS_REVIEW when nothing of it waits any more.
 */
import { deleteActivity } from './activities.ts';
import { markHoldingsStale } from './holdings.ts';
import type { SqlDatabase } from './sqlDatabase.ts';

/** A correction whose values are already canonical. */
export interface CheckedCorrection {
  activityType: string;
  quantity: string | null;
  unitPrice: string | null;
  amount: string | null;
  /** A day keeps the activity's time of day (and so its order within the day); an instant replaces it. */
  activityDate: { day: string } | { instant: string };
}

function accountOf(db: SqlDatabase, id: string): string {
  const row = db.get<{ account_id: string }>('SELECT account_id FROM activities WHERE id = ?', [id]);
  if (!row) throw new Error(`There is no activity ${id}: it may have been deleted in another tab`);
  return row.account_id;
}

function afterDecision(db: SqlDatabase, accountId: string, now: string): void {
  markHoldingsStale(db, accountId, now);
  db.run(
    `UPDATE brokers_sync_state SET sync_status = 'IDLE', updated_at = ?
     WHERE account_id = ? AND sync_status = 'NEEDS_REVIEW'
       AND NOT EXISTS (SELECT 1 FROM activities WHERE account_id = ? AND status = 'DRAFT')`,
    [now, accountId, accountId],
  );
}

/** Confirms a flagged activity as it is: it counts from now on. */
export function confirmActivity(db: SqlDatabase, id: string, now: string): void {
  db.transaction(() => {
    const accountId = accountOf(db, id);
    db.run("UPDATE activities SET status = 'POSTED', is_user_modified = 1, updated_at = ? WHERE id = ?", [now, id]);
    afterDecision(db, accountId, now);
  });
}

/** Corrects a flagged activity's type, quantity, price, amount and date, and confirms it. */
export function correctActivity(db: SqlDatabase, id: string, correction: CheckedCorrection, now: string): void {
  db.transaction(() => {
    const accountId = accountOf(db, id);
    const date = correction.activityDate;
    db.run(
      `UPDATE activities SET activity_type = ?, quantity = ?, unit_price = ?, amount = ?,
         activity_date = CASE WHEN ? IS NOT NULL THEN ? || substr(activity_date, 11) ELSE ? END,
         status = 'POSTED', is_user_modified = 1, updated_at = ? WHERE id = ?`,
      [
        correction.activityType,
        correction.quantity,
        correction.unitPrice,
        correction.amount,
        'day' in date ? date.day : null,
        'day' in date ? date.day : null,
        'instant' in date ? date.instant : null,
        now,
        id,
      ],
    );
    afterDecision(db, accountId, now);
  });
}

/** Deletes an activity for good: a tombstone keeps later syncs from bringing it back. */
export function deleteReviewedActivity(db: SqlDatabase, id: string, now: string): void {
  db.transaction(() => {
    const accountId = accountOf(db, id);
    deleteActivity(db, id, now);
    afterDecision(db, accountId, now);
  });
}
