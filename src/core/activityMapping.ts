/** A cloud activity (docs/cloud-protocol.md, "The activity") as the row we store, or the reason it is dropped. */

import type { ActivityInput } from '../storage/activities.ts';
import type { CloudActivity } from '../transport/cloudSchemas.ts';
import { idempotencyKey } from './idempotencyKey.ts';
import { parseIsoDate } from './isoDate.ts';
import { KNOWN_TYPES, reviewReasons } from './needsReview.ts';

const DEFAULT_SOURCE_SYSTEM = 'SNAPTRADE';

export type MappedActivity = { ok: true; activity: ActivityInput } | { ok: false; problem: string };

/** ISO-8601 in UTC, or null when `value` is not a date (read strictly: isoDate.ts). */
function toIsoDate(value: string): string | null {
  const ms = parseIsoDate(value);
  return ms === null ? null : new Date(ms).toISOString();
}

export function mapActivity(cloud: CloudActivity, account: { id: string; currency: string | null }): MappedActivity {
  const id = cloud.id;
  if (!id) return { ok: false, problem: 'an activity without an id was dropped' };
  const rawDate = cloud.trade_date ?? cloud.settlement_date;
  if (!rawDate) return { ok: false, problem: `activity ${id} has no date and was dropped` };
  const activityDate = toIsoDate(rawDate);
  if (!activityDate)
    return { ok: false, problem: `activity ${id} has an unreadable date "${rawDate}" and was dropped` };

  const type = cloud.type?.trim().toUpperCase();
  const activityType = type && KNOWN_TYPES.has(type) ? type : 'UNKNOWN';
  const reasons = reviewReasons(cloud);
  const symbol = cloud.symbol?.symbol ?? cloud.symbol?.raw_symbol ?? null;
  const currency = cloud.currency?.code ?? cloud.symbol?.currency?.code ?? account.currency;
  const identity = {
    accountId: account.id,
    activityType,
    day: activityDate.slice(0, 10),
    symbol,
    quantity: cloud.units ?? null,
    unitPrice: cloud.price ?? null,
    amount: cloud.amount ?? null,
    currency,
    description: cloud.description ?? null,
  };
  return {
    ok: true,
    activity: {
      id,
      accountId: account.id,
      activityType,
      subtype: cloud.subtype ?? (type && activityType !== type ? type : null),
      status: reasons.length > 0 ? 'DRAFT' : 'POSTED',
      activityDate,
      settlementDate: cloud.settlement_date ? toIsoDate(cloud.settlement_date) : null,
      symbol,
      symbolName: cloud.symbol?.description ?? null,
      quantity: identity.quantity,
      unitPrice: identity.unitPrice,
      amount: identity.amount,
      fee: cloud.fee ?? null,
      fxRate: cloud.fx_rate ?? null,
      currency,
      description: identity.description,
      reviewReasons: reasons,
      sourceSystem: cloud.source_system ?? DEFAULT_SOURCE_SYSTEM,
      sourceRecordId: cloud.source_record_id ?? cloud.external_reference_id ?? id,
      sourceGroupId: cloud.source_group_id ?? null,
      idempotencyKey: idempotencyKey(identity),
    },
  };
}
