/**
 * A copy of the server's database to hand to its browsers, for their offline copy: consistent
 * (SQLite's `VACUUM INTO` copies one committed state, compacted), in rollback-journal mode so
 * sql.js opens it, and with only the settings a copy may keep (never the refresh token). Freed
 * pages are zeroed, so no trace of a removed value is left in the bytes.
 *
 * The copy is made in a folder beside the database (`workDir`), which holds the token already;
 * what a crash left there is removed at the next start.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SHAREABLE_SETTINGS } from '../settings.ts';
import type { SqlDatabase } from '../sqlDatabase.ts';

const PREFIX = 'snapshot-';

export function shareableSnapshot(db: SqlDatabase, workDir: string): Uint8Array {
  const dir = mkdtempSync(join(workDir, PREFIX));
  try {
    const path = join(dir, 'copy.sqlite');
    db.run('VACUUM INTO ?', [path]);
    const copy = new Database(path);
    try {
      copy.pragma('journal_mode = DELETE');
      copy.pragma('secure_delete = ON');
      const keep = SHAREABLE_SETTINGS.map(() => '?').join(', ');
      copy.prepare(`DELETE FROM settings WHERE key NOT IN (${keep})`).run(...SHAREABLE_SETTINGS);
      copy.exec('VACUUM');
      return copy.serialize();
    } finally {
      copy.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Removes what a crash in the middle of a snapshot left in `workDir`. */
export function removeLeftoverSnapshots(workDir: string): void {
  for (const name of readdirSync(workDir)) {
    if (name.startsWith(PREFIX)) rmSync(join(workDir, name), { recursive: true, force: true });
  }
}
