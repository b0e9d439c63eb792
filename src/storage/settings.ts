/** Key-value settings kept in the database, so every platform and an exported file carry them. */
import type { SqlDatabase } from './sqlDatabase.ts';

export type SettingKey =
  | 'cloud.apiUrl'
  | 'cloud.authUrl'
  | 'cloud.apiKey'
  | 'cloud.refreshToken'
  /** SHA-256 of the last refresh token given on the command line or in the environment. */
  | 'cloud.suppliedTokenHash';

/**
 * What a copy handed to others (a server's browsers) may keep: where the cloud is, never how to
 * sign in to it. Anything not listed, including any setting added later, stays behind.
 */
export const SHAREABLE_SETTINGS: readonly SettingKey[] = ['cloud.apiUrl', 'cloud.authUrl', 'cloud.apiKey'];

export function getSetting(db: SqlDatabase, key: SettingKey): string | null {
  return db.get<{ value: string }>('SELECT value FROM settings WHERE key = ?', [key])?.value ?? null;
}

/** Stores `value`; null removes the setting. */
export function setSetting(db: SqlDatabase, key: SettingKey, value: string | null): void {
  if (value === null) db.run('DELETE FROM settings WHERE key = ?', [key]);
  else
    db.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [
      key,
      value,
    ]);
}
