/** Deciding on flagged activities: confirm, correct or delete, one at a time, through the worker. */
import { type ReadonlySignal, type Signal, signal } from '@preact/signals';
import type { ReviewDecision } from '../../core/review.ts';
import type { WorkerConnection } from '../pwa/workerConnection.ts';
import { createAction } from './action.ts';

export interface ReviewModel {
  /** The activity whose correction form is open. */
  editing: Signal<string | null>;
  busy: ReadonlySignal<boolean>;
  error: ReadonlySignal<string | null>;
  decide(id: string, decision: ReviewDecision): Promise<void>;
}

export function createReviewModel(worker: Pick<WorkerConnection, 'send'>): ReviewModel {
  const editing = signal<string | null>(null);
  const { busy, message, run } = createAction();
  return {
    editing,
    busy,
    error: message,
    decide: (id, decision) =>
      run(async () => {
        await worker.send({ type: 'review-activity', id, decision });
        editing.value = null;
        return null;
      }),
  };
}
