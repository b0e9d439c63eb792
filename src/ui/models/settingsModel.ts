/** The Settings form: which cloud to sync from, and signing in and out of it. */

import { type ReadonlySignal, signal } from '@preact/signals';
import { type CloudStatus, CommandError, type FormField } from '../../pwa/swProtocol.ts';
import { showable } from '../format/showable.ts';
import type { WorkerConnection } from '../pwa/workerConnection.ts';
import { createAction } from './action.ts';

/** A form field: the component writes it as the user types. */
interface Field {
  value: string;
}

export interface SettingsModel {
  apiUrl: Field;
  authUrl: Field;
  apiKey: Field;
  refreshToken: Field;
  busy: ReadonlySignal<boolean>;
  /** The outcome of the last action, for the form's live region. */
  message: ReadonlySignal<string | null>;
  failed: ReadonlySignal<boolean>;
  /** A failed sign-in's reason, shown at the field it is about. */
  fieldError: ReadonlySignal<{ field: FormField; message: string } | null>;
  /** Fills the form from the worker's current cloud. */
  fill(status: CloudStatus | null): void;
  signIn(): Promise<void>;
  signOut(): Promise<void>;
  useDemo(): Promise<void>;
}

export function createSettingsModel(worker: Pick<WorkerConnection, 'send'>): SettingsModel {
  const apiUrl = signal('');
  const authUrl = signal('');
  const apiKey = signal('');
  const refreshToken = signal('');
  const { busy, message, failed, run } = createAction();
  const fieldError = signal<{ field: FormField; message: string } | null>(null);

  return {
    apiUrl,
    authUrl,
    apiKey,
    refreshToken,
    busy,
    message,
    failed,
    fieldError,
    fill(status) {
      apiUrl.value = status?.cloud?.apiUrl ?? '';
      authUrl.value = status?.cloud?.authUrl ?? '';
      apiKey.value = status?.cloud?.apiKey ?? '';
    },
    signIn: () =>
      run(async () => {
        fieldError.value = null;
        try {
          const result = await worker.send({
            type: 'sign-in',
            cloud: { apiUrl: apiUrl.value.trim(), authUrl: authUrl.value.trim(), apiKey: apiKey.value },
            refreshToken: refreshToken.value,
          });
          refreshToken.value = '';
          return result.success && !result.skipped ? `Signed in. ${result.message}` : result.message;
        } catch (error) {
          // Said at the field it is about; the form's message then only says the sign-in failed.
          if (error instanceof CommandError && error.field) {
            fieldError.value = { field: error.field, message: showable(error.message) };
            throw new Error('Not signed in: see the field marked above.');
          }
          throw error;
        }
      }),
    signOut: () =>
      run(async () => {
        fieldError.value = null;
        await worker.send({ type: 'sign-out' });
        return 'Signed out. Your synced data stays on this device.';
      }),
    useDemo: () =>
      run(async () => {
        fieldError.value = null;
        const result = await worker.send({ type: 'use-demo' });
        apiUrl.value = '';
        authUrl.value = '';
        apiKey.value = '';
        return `Using the demo cloud. ${result.message}`;
      }),
  };
}
