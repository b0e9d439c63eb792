/**
 * A refresh token given again on every start (cron with FOLIO_REFRESH_TOKEN, a server's
 * environment) must not override the rotated one stored since: after rotation it is dead. Only a
 * token not given before replaces the stored one; what was given is remembered by its SHA-256.
 */
import { createHash } from 'node:crypto';
import { getSetting, setSetting } from '../settings.ts';
import type { SqlDatabase } from '../sqlDatabase.ts';

export function adoptSuppliedRefreshToken(db: SqlDatabase, token: string): void {
  const hash = createHash('sha256').update(token).digest('hex');
  if (hash === getSetting(db, 'cloud.suppliedTokenHash')) return;
  setSetting(db, 'cloud.refreshToken', token);
  setSetting(db, 'cloud.suppliedTokenHash', hash);
}
