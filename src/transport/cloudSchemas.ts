/**
 * docs/cloud-protocol.md as valibot schemas. Every answer is validated before the engine sees it.
 * The protocol says almost any field may be null or missing, so the schemas are lenient
 * where it allows and strict on shape: a wrong type is a malformed answer.
 */
import * as v from 'valibot';
import { parseDecimal } from '../core/decimal.ts';

const text = v.nullish(v.string());
const flag = v.nullish(v.boolean());

/** A decimal sent as a JSON number or a numeric string, normalized to a canonical string. */
const decimal = v.nullish(
  v.pipe(
    v.union([v.number(), v.string()]),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const parsed = parseDecimal(dataset.value);
      if (parsed === null) {
        const shown = String(dataset.value);
        addIssue({
          message: `"${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown}" is not a decimal number (or is out of range)`,
        });
        return NEVER;
      }
      return parsed;
    }),
  ),
);

const codeObject = v.nullish(v.looseObject({ code: text }));

export const TokenResponseSchema = v.looseObject({
  access_token: v.pipe(v.string(), v.minLength(1)),
  token_type: text,
  expires_in: v.nullish(v.number()),
  refresh_token: text,
});

export const ErrorBodySchema = v.looseObject({ error: text, code: text, message: text });

export const UserSchema = v.looseObject({
  id: text,
  email: text,
  fullName: text,
  team: v.nullish(v.looseObject({ id: text, plan: text, subscriptionStatus: text })),
});
export type CloudUser = v.InferOutput<typeof UserSchema>;

const BrokerageSchema = v.looseObject({
  id: text,
  name: text,
  display_name: text,
  slug: text,
  aws_s3_logo_url: text,
  aws_s3_square_logo_url: text,
});

const ConnectionSchema = v.looseObject({
  id: v.string(),
  authorization_id: text,
  brokerage_name: text,
  brokerage_slug: text,
  brokerage: v.nullish(BrokerageSchema),
  disabled: flag,
  updated_at: text,
  name: text,
  status: text,
  type: text,
});
export type CloudConnection = v.InferOutput<typeof ConnectionSchema>;

export const ConnectionsResponseSchema = v.looseObject({ connections: v.array(ConnectionSchema) });

const AccountSchema = v.looseObject({
  id: text,
  name: text,
  account_number: v.nullish(v.pipe(v.union([v.string(), v.number()]), v.transform(String))),
  type: text,
  currency: text,
  balance: v.nullish(v.looseObject({ total: v.nullish(v.looseObject({ amount: decimal, currency: text })) })),
  brokerage_authorization: text,
  institution_name: text,
  created_date: text,
  status: text,
  raw_type: text,
  is_paper: flag,
  sync_enabled: flag,
  sync_status: v.nullish(
    v.looseObject({
      transactions: v.nullish(
        v.looseObject({ initial_sync_completed: flag, last_successful_sync: text, first_transaction_date: text }),
      ),
    }),
  ),
});
export type CloudAccount = v.InferOutput<typeof AccountSchema>;

export const AccountsResponseSchema = v.looseObject({ accounts: v.array(AccountSchema) });

const SymbolSchema = v.looseObject({
  symbol: text,
  raw_symbol: text,
  description: text,
  type: codeObject,
  exchange: v.nullish(v.looseObject({ mic_code: text })),
  currency: codeObject,
  figi_code: text,
});

export const ActivitySchema = v.looseObject({
  id: text,
  type: text,
  subtype: text,
  raw_type: text,
  symbol: v.nullish(SymbolSchema),
  price: decimal,
  units: decimal,
  amount: decimal,
  fee: decimal,
  fx_rate: decimal,
  currency: codeObject,
  description: text,
  trade_date: text,
  settlement_date: text,
  external_reference_id: text,
  source_system: text,
  source_record_id: text,
  source_group_id: text,
  mapping_metadata: v.nullish(
    v.looseObject({
      reasons: v.nullish(v.array(v.string())),
      confidence: v.nullish(v.number()),
    }),
  ),
  needs_review: flag,
});
export type CloudActivity = v.InferOutput<typeof ActivitySchema>;

const PaginationSchema = v.looseObject({
  offset: v.nullish(v.number()),
  limit: v.nullish(v.number()),
  total: v.nullish(v.number()),
  has_more: flag,
});

/** Older servers name the list `activities` or `universalActivities`, the paging `paginationDetails` or `page`. */
export const ActivitiesPageSchema = v.looseObject({
  data: v.optional(v.array(v.unknown())),
  activities: v.optional(v.array(v.unknown())),
  universalActivities: v.optional(v.array(v.unknown())),
  pagination: v.nullish(PaginationSchema),
  paginationDetails: v.nullish(PaginationSchema),
  page: v.nullish(PaginationSchema),
});
