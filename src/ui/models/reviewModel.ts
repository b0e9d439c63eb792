/** Deciding on flagged activities: confirm, correct or delete, one at a time, through the worker. */
import { type ReadonlySignal, type Signal, signal } from '@preact/signals';
import type { ReviewDecision } from '../../pwa/swProtocol.ts';
import type { WorkerConnection } from '../pwa/workerConnection.ts';

export interface ReviewModel {
  /** The activity whose correction form is open. */
  editing: Signal<string | null>;
  busy: ReadonlySignal<boolean>;
  error: ReadonlySignal<string | null>;
  decide(id: string, decision: ReviewDecision): Promise<void>;
}

export function createReviewModel(worker: Pick<WorkerConnection, 'send'>): ReviewModel {
  const editing = signal<string | null>(null);
  const busy = signal(false);
  const error = signal<string | null>(null);
  return {
    editing,
    busy,
    error,
    async decide(id, decision) {
      busy.value = true;
      error.value = null;
      try {
        await worker.send({ type: 'review-activity', id, decision });
        editing.value = null;
      } catch (failure) {
        error.value = failure instanceof Error ? failure.message : String(failure);
      } finally {
        busy.value = false;
      }
    },
  };
}
