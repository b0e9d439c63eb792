export type StorageErrorCode =
  /** The file is not SQLite at all. */
  | 'not-a-database'
  /** SQLite, but another application's. */
  | 'foreign-database'
  /** Ours, from a newer version of Folio Sync. */
  | 'newer-schema'
  /** The file or folder cannot be opened or created. */
  | 'cannot-open';

export class StorageError extends Error {
  override readonly name = 'StorageError';

  constructor(
    readonly code: StorageErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
