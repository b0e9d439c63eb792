/** Deciding on flagged activities: confirm, correct or delete, one at a time, through the worker. */

import { type ReadonlySignal, type Signal, signal } from '@preact/signals';
import { parseDecimal } from '../../core/decimal.ts';
import { parseIsoDate } from '../../core/isoDate.ts';
import type { Correction, ReviewDecision } from '../../core/review.ts';
import { showableError } from '../format/showable.ts';
import type { WorkerConnection } from '../pwa/workerConnection.ts';

/** What is open on one activity: its correction form, or the question before deleting it. */
interface OpenReview {
  id: string;
  kind: 'correct' | 'delete';
}

export interface ReviewModel {
  open: Signal<OpenReview | null>;
  busy: ReadonlySignal<boolean>;
  /** Why the last decision failed, and on which activity. */
  failure: ReadonlySignal<{ id: string; message: string } | null>;
  /** Resolves true once the decision is stored. */
  decide(id: string, decision: ReviewDecision): Promise<boolean>;
}

export function createReviewModel(worker: Pick<WorkerConnection, 'send'>): ReviewModel {
  const open = signal<OpenReview | null>(null);
  const busy = signal(false);
  const failure = signal<{ id: string; message: string } | null>(null);
  return {
    open,
    busy,
    failure,
    async decide(id, decision) {
      busy.value = true;
      failure.value = null;
      try {
        await worker.send({ type: 'review-activity', id, decision });
        open.value = null;
        return true;
      } catch (error) {
        failure.value = { id, message: showableError(error) };
        return false;
      } finally {
        busy.value = false;
      }
    },
  };
}

export type CorrectionField = 'quantity' | 'unitPrice' | 'amount' | 'activityDate';

/**
 * What is wrong with a correction, field by field, found before it is sent so each problem is
 * told beside its field. The same parsers as the worker's check (core/review.ts), so the two agree.
 */
export function correctionProblems(correction: Correction): Partial<Record<CorrectionField, string>> {
  const problems: Partial<Record<CorrectionField, string>> = {};
  for (const field of ['quantity', 'unitPrice', 'amount'] as const) {
    const value = correction[field]?.trim() ?? '';
    if (value !== '' && parseDecimal(value) === null) problems[field] = `"${value}" is not a number`;
  }
  if (correction.activityDate.trim() === '') problems.activityDate = 'Enter the date';
  else if (parseIsoDate(correction.activityDate) === null)
    problems.activityDate = `"${correction.activityDate}" is not a date`;
  return problems;
}
