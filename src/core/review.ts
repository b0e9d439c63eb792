/**
 * The review queue's decisions: a person confirms, corrects or deletes an activity a sync
 * flagged. The correction is checked here; storage writes the decision and marks the account's
 * holdings stale in one transaction, and the portfolio update then recomputes them.
 */
import { type CheckedCorrection, confirmActivity, correctActivity, deleteReviewedActivity } from '../storage/review.ts';
import type { SqlDatabase } from '../storage/sqlDatabase.ts';
import { type Clock, toIso } from './clock.ts';
import { parseDecimal } from './decimal.ts';
import { parseIsoDate } from './isoDate.ts';
import type { Logger } from './logger.ts';
import { KNOWN_TYPES } from './needsReview.ts';
import { updatePortfolio } from './portfolioUpdate.ts';
import type { EmitSyncEvent } from './syncEvents.ts';

/** What a person typed to correct an activity. */
export interface Correction {
  activityType: string;
  quantity: string | null;
  unitPrice: string | null;
  amount: string | null;
  /** `YYYY-MM-DD` or a full ISO date. */
  activityDate: string;
}

export type ReviewDecision = { kind: 'confirm' } | { kind: 'correct'; correction: Correction } | { kind: 'delete' };

/** A correction whose values do not make sense (the user's to fix). */
export class ReviewError extends Error {
  override readonly name = 'ReviewError';
}

function checkedDecimal(label: string, value: string | null): string | null {
  if (value === null || value.trim() === '') return null;
  const parsed = parseDecimal(value);
  if (parsed === null) throw new ReviewError(`${label} "${value}" is not a number`);
  return parsed;
}

function checkCorrection(correction: Correction): CheckedCorrection {
  const type = correction.activityType.trim().toUpperCase();
  if (!KNOWN_TYPES.has(type) || type === 'UNKNOWN') {
    throw new ReviewError(`"${correction.activityType}" is not an activity type`);
  }
  const date = parseIsoDate(correction.activityDate);
  if (date === null) throw new ReviewError(`"${correction.activityDate}" is not a date`);
  const iso = new Date(date).toISOString();
  return {
    activityType: type,
    quantity: checkedDecimal('Quantity', correction.quantity),
    unitPrice: checkedDecimal('Price', correction.unitPrice),
    amount: checkedDecimal('Amount', correction.amount),
    activityDate: /^\d{4}-\d{2}-\d{2}$/.test(correction.activityDate.trim())
      ? { day: iso.slice(0, 10) }
      : { instant: iso },
  };
}

/** Applies a decision, then brings the account's holdings up to date. */
export function reviewActivity(
  deps: { db: SqlDatabase; clock: Clock; emit: EmitSyncEvent; log: Logger },
  id: string,
  decision: ReviewDecision,
): void {
  const { db } = deps;
  const now = toIso(deps.clock.now());
  if (decision.kind === 'confirm') confirmActivity(db, id, now);
  else if (decision.kind === 'correct') correctActivity(db, id, checkCorrection(decision.correction), now);
  else deleteReviewedActivity(db, id, now);
  updatePortfolio(deps);
}
