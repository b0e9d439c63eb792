/** A user action that takes a while: busy while it runs, then a sentence about how it went. */
import { type ReadonlySignal, signal } from '@preact/signals';
import { showable, showableError } from '../format/showable.ts';

export interface Action {
  busy: ReadonlySignal<boolean>;
  /** What the last run said: its own words on success (or nothing), the error's on failure. */
  message: ReadonlySignal<string | null>;
  /** Whether `message` is a failure's. */
  failed: ReadonlySignal<boolean>;
  run(action: () => Promise<string | null>): Promise<void>;
}

export function createAction(): Action {
  const busy = signal(false);
  const message = signal<string | null>(null);
  const failed = signal(false);
  return {
    busy,
    message,
    failed,
    async run(action) {
      busy.value = true;
      message.value = null;
      failed.value = false;
      try {
        // Its words may carry the cloud's (a sync's result, a refusal): shown through showable.
        const said = await action();
        message.value = said === null ? null : showable(said);
      } catch (error) {
        message.value = showableError(error);
        failed.value = true;
      } finally {
        busy.value = false;
      }
    },
  };
}
