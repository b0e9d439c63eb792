/** The review queue: activities flagged DRAFT by a sync wait here until a person confirms them. */
import type { SqlDatabase } from './sqlDatabase.ts';

/**
 * Confirms a flagged activity: it is POSTED from now on and user-modified, so later syncs
 * leave it alone. Its account leaves NEEDS_REVIEW when nothing else waits.
 */
export function confirmActivity(db: SqlDatabase, id: string, now: string): void {
  db.transaction(() => {
    const row = db.get<{ account_id: string }>('SELECT account_id FROM activities WHERE id = ?', [id]);
    if (!row) throw new Error(`There is no activity ${id}`);
    db.run("UPDATE activities SET status = 'POSTED', is_user_modified = 1, updated_at = ? WHERE id = ?", [now, id]);
    db.run(
      `UPDATE brokers_sync_state SET sync_status = 'IDLE', updated_at = ?
       WHERE account_id = ? AND sync_status = 'NEEDS_REVIEW'
         AND NOT EXISTS (SELECT 1 FROM activities WHERE account_id = ? AND status = 'DRAFT')`,
      [now, row.account_id, row.account_id],
    );
  });
}
