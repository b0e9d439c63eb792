/**
 * The review queue: activities a sync flagged (DRAFT) wait here for a person, who confirms,
 * corrects or deletes them. Every decision marks the activity as the user's (later syncs leave
 * it alone, or, deleted, do not bring it back), and an account leaves NEEDS_REVIEW when nothing
 * of it waits any more. Each returns the account whose holdings need recomputing.
 */

import { parseDecimal } from '../core/decimal.ts';
import { KNOWN_TYPES } from '../core/needsReview.ts';
import { deleteActivity } from './activities.ts';
import type { SqlDatabase, SqlValue } from './sqlDatabase.ts';

export interface Correction {
  activityType: string;
  quantity: string | null;
  unitPrice: string | null;
  amount: string | null;
  /** `YYYY-MM-DD` or a full ISO date. */
  activityDate: string;
}

class ReviewError extends Error {
  override readonly name = 'ReviewError';
}

function accountOf(db: SqlDatabase, id: string): string {
  const row = db.get<{ account_id: string }>('SELECT account_id FROM activities WHERE id = ?', [id]);
  if (!row) throw new ReviewError(`There is no activity ${id}: it may have been deleted in another tab`);
  return row.account_id;
}

function leaveReviewWhenDone(db: SqlDatabase, accountId: string, now: string): void {
  db.run(
    `UPDATE brokers_sync_state SET sync_status = 'IDLE', updated_at = ?
     WHERE account_id = ? AND sync_status = 'NEEDS_REVIEW'
       AND NOT EXISTS (SELECT 1 FROM activities WHERE account_id = ? AND status = 'DRAFT')`,
    [now, accountId, accountId],
  );
}

/** Confirms a flagged activity as it is: it counts from now on. */
export function confirmActivity(db: SqlDatabase, id: string, now: string): string {
  return db.transaction(() => {
    const accountId = accountOf(db, id);
    db.run("UPDATE activities SET status = 'POSTED', is_user_modified = 1, updated_at = ? WHERE id = ?", [now, id]);
    leaveReviewWhenDone(db, accountId, now);
    return accountId;
  });
}

function checkedDecimal(label: string, value: string | null): SqlValue {
  if (value === null || value.trim() === '') return null;
  const parsed = parseDecimal(value);
  if (parsed === null) throw new ReviewError(`${label} "${value}" is not a number`);
  return parsed;
}

/** Corrects a flagged activity's type, quantity, price, amount and date, and confirms it. */
export function correctActivity(db: SqlDatabase, id: string, correction: Correction, now: string): string {
  const type = correction.activityType.trim().toUpperCase();
  if (!KNOWN_TYPES.has(type) || type === 'UNKNOWN')
    throw new ReviewError(`"${correction.activityType}" is not an activity type`);
  const date = Date.parse(correction.activityDate);
  if (Number.isNaN(date)) throw new ReviewError(`"${correction.activityDate}" is not a date`);
  const decimals = [
    checkedDecimal('Quantity', correction.quantity),
    checkedDecimal('Price', correction.unitPrice),
    checkedDecimal('Amount', correction.amount),
  ];
  return db.transaction(() => {
    const accountId = accountOf(db, id);
    // A day given without a time keeps the activity's time of day, so its order within the day stays.
    const stored = db.get<{ activity_date: string }>('SELECT activity_date FROM activities WHERE id = ?', [id]);
    const iso = new Date(date).toISOString();
    const day = /^\d{4}-\d{2}-\d{2}$/.test(correction.activityDate.trim()) ? iso.slice(0, 10) : null;
    const activityDate = day && stored ? `${day}${stored.activity_date.slice(10)}` : iso;
    const values = [type, ...decimals, activityDate];
    db.run(
      `UPDATE activities SET activity_type = ?, quantity = ?, unit_price = ?, amount = ?, activity_date = ?,
         status = 'POSTED', is_user_modified = 1, updated_at = ? WHERE id = ?`,
      [...values, now, id],
    );
    leaveReviewWhenDone(db, accountId, now);
    return accountId;
  });
}

/** Deletes an activity for good: a tombstone keeps later syncs from bringing it back. */
export function deleteReviewedActivity(db: SqlDatabase, id: string, now: string): string {
  return db.transaction(() => {
    const accountId = accountOf(db, id);
    deleteActivity(db, id, now);
    leaveReviewWhenDone(db, accountId, now);
    return accountId;
  });
}
