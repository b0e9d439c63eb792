/**
 * A copy of the server's database to hand to its browsers, for their offline copy: consistent
 * (SQLite's `VACUUM INTO` copies one committed state, compacted), in rollback-journal mode so
 * sql.js opens it, and without the settings that are secrets (the refresh token is never sent
 * back). Freed pages are zeroed, so no trace of a removed value is left in the bytes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SECRET_SETTINGS } from '../settings.ts';
import type { SqlDatabase } from '../sqlDatabase.ts';

export function shareableSnapshot(db: SqlDatabase): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'folio-snapshot-'));
  try {
    const path = join(dir, 'copy.sqlite');
    db.run('VACUUM INTO ?', [path]);
    const copy = new Database(path);
    try {
      copy.pragma('journal_mode = DELETE');
      copy.pragma('secure_delete = ON');
      const remove = copy.prepare('DELETE FROM settings WHERE key = ?');
      for (const key of SECRET_SETTINGS) remove.run(key);
      copy.exec('VACUUM');
      return copy.serialize();
    } finally {
      copy.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
