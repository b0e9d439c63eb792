/**
 * The last-resort identity of an activity (docs/cloud-protocol.md): a hash of what it is, so the same
 * trade is recognised when a provider re-issues its id. Decimals are canonical strings
 * already; the description is folded so whitespace and case changes do not matter.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

export interface IdentityFields {
  accountId: string;
  activityType: string;
  /** `YYYY-MM-DD`. */
  day: string;
  symbol: string | null;
  quantity: string | null;
  unitPrice: string | null;
  amount: string | null;
  currency: string | null;
  description: string | null;
}

const normalizeDescription = (text: string | null): string => (text ?? '').trim().replace(/\s+/g, ' ').toLowerCase();

export function idempotencyKey(fields: IdentityFields): string {
  const parts = [
    fields.accountId,
    fields.activityType,
    fields.day,
    fields.symbol ?? '',
    fields.quantity ?? '',
    fields.unitPrice ?? '',
    fields.amount ?? '',
    fields.currency ?? '',
    normalizeDescription(fields.description),
  ];
  // U+001F (unit separator) cannot occur in the fields, so the join is unambiguous.
  return bytesToHex(sha256(utf8ToBytes(parts.join('\u001f'))));
}
