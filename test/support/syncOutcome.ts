import type { AccountOutcome } from '../../src/core/syncEvents.ts';

/** An account's outcome in a sync result: named by its id, up to date, nothing fetched, unless `fields` say otherwise. */
export const accountOutcome = (accountId: string, fields: Partial<AccountOutcome> = {}): AccountOutcome => ({
  accountId,
  accountName: accountId,
  status: 'IDLE',
  error: null,
  errorCode: null,
  fetched: 0,
  inserted: 0,
  updated: 0,
  warnings: 0,
  ...fields,
});
