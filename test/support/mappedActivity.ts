/** A BUY as the cloud would send it, validated and mapped the way the engine does; `fields` override the cloud's. */
import * as v from 'valibot';
import { mapActivity } from '../../src/core/activityMapping.ts';
import type { ActivityInput } from '../../src/storage/activities.ts';
import { ActivitySchema } from '../../src/transport/cloudSchemas.ts';

export function mappedBuy(fields: Record<string, unknown> = {}, accountId = 'acc-1'): ActivityInput {
  const cloud = v.parse(ActivitySchema, {
    id: 'act-1',
    type: 'BUY',
    symbol: { symbol: 'VFV.TO' },
    price: 112.45,
    units: 10,
    amount: -1124.5,
    currency: { code: 'CAD' },
    description: 'Bought 10 VFV',
    trade_date: '2026-11-20T14:31:00Z',
    source_record_id: 'rec-1',
    ...fields,
  });
  const mapped = mapActivity(cloud, { id: accountId, currency: 'CAD' });
  if (!mapped.ok) throw new Error(mapped.problem);
  return mapped.activity;
}
