/** Platforms (brokerages), connections and accounts: the shape of what the user has linked. */
import type { SqlDatabase } from './sqlDatabase.ts';

export const PROVIDER = 'snaptrade';

export interface PlatformInput {
  id: string;
  name: string;
  logoUrl: string | null;
}

export interface ConnectionInput {
  id: string;
  platformId: string | null;
  name: string | null;
  status: string | null;
  disabled: boolean;
  remoteUpdatedAt: string | null;
}

export interface AccountInput {
  id: string;
  name: string;
  accountType: string | null;
  currency: string | null;
  accountNumber: string | null;
  institutionName: string | null;
  platformId: string | null;
  connectionId: string | null;
  providerAccountId: string;
  balance: string | null;
  balanceCurrency: string | null;
  syncEnabled: boolean;
  isPaper: boolean;
  status: string | null;
}

export function upsertPlatform(db: SqlDatabase, platform: PlatformInput, now: string): void {
  db.run(
    `INSERT INTO platforms (id, name, logo_url, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, logo_url = excluded.logo_url, updated_at = excluded.updated_at`,
    [platform.id, platform.name, platform.logoUrl, now, now],
  );
}

export function upsertConnection(db: SqlDatabase, connection: ConnectionInput, now: string): void {
  db.run(
    `INSERT INTO connections (id, platform_id, name, status, disabled, remote_updated_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET platform_id = excluded.platform_id, name = excluded.name, status = excluded.status,
       disabled = excluded.disabled, remote_updated_at = excluded.remote_updated_at, updated_at = excluded.updated_at`,
    [
      connection.id,
      connection.platformId,
      connection.name,
      connection.status,
      connection.disabled ? 1 : 0,
      connection.remoteUpdatedAt,
      now,
      now,
    ],
  );
}

/**
 * Inserts or refreshes an account the cloud lists (so it is no longer marked removed); says
 * whether it is new to sync: unknown before, or known but excluded from sync until now.
 */
export function upsertAccount(db: SqlDatabase, account: AccountInput, now: string): { newToSync: boolean } {
  const before = db.get<{ sync_enabled: number }>(
    'SELECT sync_enabled FROM accounts WHERE provider = ? AND provider_account_id = ?',
    [PROVIDER, account.providerAccountId],
  );
  db.run(
    `INSERT INTO accounts (id, name, account_type, currency, account_number, institution_name, platform_id,
       connection_id, provider, provider_account_id, balance, balance_currency, sync_enabled, is_paper, status,
       created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (provider, provider_account_id) DO UPDATE SET name = excluded.name,
       account_type = excluded.account_type, currency = excluded.currency, account_number = excluded.account_number,
       institution_name = excluded.institution_name, platform_id = excluded.platform_id,
       connection_id = excluded.connection_id, balance = excluded.balance, balance_currency = excluded.balance_currency,
       sync_enabled = excluded.sync_enabled, is_paper = excluded.is_paper, status = excluded.status,
       removed_at = NULL, updated_at = excluded.updated_at`,
    [
      account.id,
      account.name,
      account.accountType,
      account.currency,
      account.accountNumber,
      account.institutionName,
      account.platformId,
      account.connectionId,
      PROVIDER,
      account.providerAccountId,
      account.balance,
      account.balanceCurrency,
      account.syncEnabled ? 1 : 0,
      account.isPaper ? 1 : 0,
      account.status,
      now,
      now,
    ],
  );
  return { newToSync: account.syncEnabled && (before === undefined || before.sync_enabled === 0) };
}

/**
 * Marks the accounts the cloud no longer lists: their data stays, but they leave sync and the
 * status count (docs/sync-rules.md, "One sync"). Returns how many were newly marked.
 */
export function markRemovedAccounts(db: SqlDatabase, listedProviderIds: readonly string[], now: string): number {
  const listed = new Set(listedProviderIds);
  const gone = db
    .all<{ id: string; provider_account_id: string }>(
      'SELECT id, provider_account_id FROM accounts WHERE provider = ? AND removed_at IS NULL',
      [PROVIDER],
    )
    .filter((account) => !listed.has(account.provider_account_id));
  for (const account of gone) {
    db.run('UPDATE accounts SET removed_at = ?, updated_at = ? WHERE id = ?', [now, now, account.id]);
  }
  return gone.length;
}
