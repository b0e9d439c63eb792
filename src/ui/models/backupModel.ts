/**
 * Backup: the current cloud's database (or the offline copy of the server's) as a `.sqlite` file (it opens in the sqlite3 shell),
 * and a file imported back in its place, checked by the worker before anything is replaced.
 */
import { type ReadonlySignal, signal } from '@preact/signals';
import { idbReader } from '../../storage/sqljs/byteStore.ts';
import type { WorkerConnection } from '../pwa/workerConnection.ts';
import { createAction } from './action.ts';

export interface BackupModel {
  busy: ReadonlySignal<boolean>;
  message: ReadonlySignal<string | null>;
  failed: ReadonlySignal<boolean>;
  /** A file chosen for import, waiting for the user to confirm that it replaces the data. */
  staged: ReadonlySignal<File | null>;
  exportFile(): Promise<void>;
  stageImport(file: File): void;
  cancelImport(): void;
  /** Imports the staged file in place of the current data. */
  confirmImport(): Promise<void>;
}

/** Hands `bytes` to the browser as a download. */
function download(bytes: Uint8Array, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/vnd.sqlite3' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function createBackupModel(
  worker: Pick<WorkerConnection, 'send'>,
  databaseKey: () => Promise<string>,
  today: () => string,
): BackupModel {
  const { busy, message, failed, run } = createAction();
  const staged = signal<File | null>(null);
  return {
    busy,
    message,
    failed,
    staged,
    exportFile: () =>
      run(async () => {
        // The saved file, not this tab's copy: it is the newest, whatever tab saved it.
        const bytes = await idbReader(await databaseKey()).load();
        if (!bytes) throw new Error('There is nothing to export yet: sync first');
        download(bytes, `folio-sync-${today()}.sqlite`);
        return 'Exported. The file opens in any SQLite tool.';
      }),
    stageImport(file) {
      staged.value = file;
    },
    cancelImport() {
      staged.value = null;
    },
    confirmImport: () =>
      run(async () => {
        const file = staged.peek();
        staged.value = null;
        if (!file) return null;
        const { activities } = await worker.send({ type: 'import-database', bytes: await file.arrayBuffer() });
        return `Imported ${file.name}: ${new Intl.NumberFormat('en-US').format(activities)} activities.`;
      }),
  };
}
