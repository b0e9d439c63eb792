/** docs/cloud-protocol.md's rules for an activity that a person should look at before it counts. */
import type { CloudActivity } from '../transport/cloudSchemas.ts';

/** Below this mapping confidence the cloud's guess is not trusted. */
const MIN_CONFIDENCE = 0.7;

const DOUBTFUL_WORDS = /unknown|unrecognized|ambiguous|multiple|conflict|manual|review|unsupported/i;

export const KNOWN_TYPES = new Set([
  'BUY',
  'SELL',
  'SPLIT',
  'DIVIDEND',
  'INTEREST',
  'DEPOSIT',
  'WITHDRAWAL',
  'TRANSFER_IN',
  'TRANSFER_OUT',
  'FEE',
  'TAX',
  'CREDIT',
  'ADJUSTMENT',
  'UNKNOWN',
]);

/** Why `activity` needs review, in words a user can read; empty when it does not. */
export function reviewReasons(activity: CloudActivity): string[] {
  const reasons: string[] = [];
  if (activity.needs_review) reasons.push('Flagged for review by the cloud');
  const type = activity.type?.trim().toUpperCase();
  if (!type) reasons.push('The activity type is missing');
  else if (type === 'UNKNOWN') reasons.push('The activity type is unknown');
  else if (!KNOWN_TYPES.has(type)) reasons.push(`Unsupported activity type "${activity.type}"`);
  const metadata = activity.mapping_metadata;
  if (metadata?.confidence != null && metadata.confidence < MIN_CONFIDENCE) {
    reasons.push(`Low mapping confidence (${metadata.confidence})`);
  }
  for (const reason of metadata?.reasons ?? []) {
    if (DOUBTFUL_WORDS.test(reason)) reasons.push(reason);
  }
  return reasons;
}
