import type { CloudUser } from './cloudSchemas.ts';

const PAYING = new Set(['active', 'trialing', 'past_due']);

/** docs/cloud-protocol.md, "Plan check": broker sync needs a paying, non-basic plan. */
export function hasBrokerSyncPlan(user: CloudUser): boolean {
  const plan = user.team?.plan;
  const status = user.team?.subscriptionStatus;
  return Boolean(plan) && plan !== 'basic' && status != null && PAYING.has(status);
}
