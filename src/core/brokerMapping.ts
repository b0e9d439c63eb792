/** Cloud connections and accounts as local platforms, connections and accounts (docs/cloud-protocol.md). */
import type { AccountInput, ConnectionInput, PlatformInput } from '../storage/brokers.ts';
import type { CloudAccount, CloudConnection } from '../transport/cloudSchemas.ts';

export interface MappedConnection {
  platform: PlatformInput | null;
  connection: ConnectionInput;
  /** Every id an account's `brokerage_authorization` may use for this connection. */
  cloudIds: string[];
}

/** Local connection id = `authorization_id ?? id`; its brokerage becomes a platform (id = slug ?? id). */
export function mapConnection(cloud: CloudConnection): MappedConnection {
  const brokerage = cloud.brokerage;
  const platformId = brokerage?.slug ?? cloud.brokerage_slug ?? brokerage?.id ?? null;
  const platformName = brokerage?.display_name ?? brokerage?.name ?? cloud.brokerage_name ?? platformId;
  const platform =
    platformId && platformName
      ? {
          id: platformId,
          name: platformName,
          logoUrl: brokerage?.aws_s3_square_logo_url ?? brokerage?.aws_s3_logo_url ?? null,
        }
      : null;
  return {
    platform,
    connection: {
      id: cloud.authorization_id ?? cloud.id,
      platformId: platform?.id ?? null,
      name: cloud.name ?? cloud.brokerage_name ?? null,
      status: cloud.status ?? null,
      disabled: cloud.disabled ?? false,
      remoteUpdatedAt: cloud.updated_at ?? null,
    },
    cloudIds: [cloud.id, ...(cloud.authorization_id ? [cloud.authorization_id] : [])],
  };
}

/** An account as stored, and what the cloud says of its own import of the account's history. */
export interface MappedAccount extends AccountInput {
  /** `sync_status.transactions.initial_sync_completed`; null when the cloud does not say. */
  cloudHistoryComplete: boolean | null;
}

/**
 * An account, or null when it has no id (skipped with a warning). `platformOf` resolves the
 * account's connection to its platform. Missing `sync_enabled` means enabled.
 */
export function mapAccount(
  cloud: CloudAccount,
  platformOf: (connectionId: string) => string | null,
): MappedAccount | null {
  if (!cloud.id) return null;
  const connectionId = cloud.brokerage_authorization ?? null;
  const balance = cloud.balance?.total;
  return {
    id: cloud.id,
    name: cloud.name ?? cloud.institution_name ?? 'Unnamed account',
    accountType: cloud.type ?? cloud.raw_type ?? null,
    currency: cloud.currency ?? balance?.currency ?? null,
    accountNumber: cloud.account_number ?? null,
    institutionName: cloud.institution_name ?? null,
    platformId: connectionId ? platformOf(connectionId) : null,
    connectionId,
    providerAccountId: cloud.id,
    balance: balance?.amount ?? null,
    balanceCurrency: balance?.currency ?? cloud.currency ?? null,
    syncEnabled: cloud.sync_enabled ?? true,
    isPaper: cloud.is_paper ?? false,
    status: cloud.status ?? null,
    cloudHistoryComplete: cloud.sync_status?.transactions?.initial_sync_completed ?? null,
  };
}
