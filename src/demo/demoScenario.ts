/**
 * Faults the demo cloud can be told to produce, so tests (and curious users) can watch the
 * client handle them over real HTTP. Counters ("the next N calls") count API calls, not
 * token refreshes; setting a scenario resets them.
 */
export interface DemoScenario {
  /** The auth server refuses every refresh token (400 invalid_grant). */
  refreshRefused: boolean;
  /** The next N API calls answer 401, as if the access token had been revoked. */
  unauthorized: number;
  /** The next N API calls answer 429, with this Retry-After (seconds or an HTTP date) when set. */
  rateLimited: number;
  retryAfter: string | null;
  /** The next N API calls answer `serverErrorStatus`. */
  serverErrors: number;
  serverErrorStatus: number;
  /** Every API call fails at the network level: the connection is dropped without an answer. */
  networkDown: boolean;
  /** The activities endpoint answers with broken JSON, for pages from `malformedFromOffset` on. */
  malformedActivities: boolean;
  malformedFromOffset: number;
  /** Each account's first page has one activity with a wrong-typed field and one without an id. */
  invalidActivity: boolean;
  /** The server's offsets are off by one after the first page: the activity at the first page boundary arrives twice. */
  duplicateAcrossPages: boolean;
  /** The activities endpoint ignores `offset`: always the first page, always `has_more`. */
  stuckPagination: boolean;
  /** Each activities page waits this long before answering. */
  pageDelayMs: number;
  /**
   * How pages say there is more: `has_more` (current servers), `total` only, nothing at all
   * (the client pages until an empty page), or the older field names (`activities`, `paginationDetails`).
   */
  paging: 'has-more' | 'total-only' | 'until-empty' | 'legacy';
  /** The most activities the server puts on one page, whatever `limit` asks. */
  maxPageSize: number;
  /** The activities of this account always fail with this status. */
  failingAccount: { accountId: string; status: number } | null;
  /** The team's plan; null or "basic" means no broker sync. */
  plan: string | null;
  /** Trades that just happened: this many buys, dated now, on the first account. */
  newTrades: number;
  /**
   * The API calls (counted from when the scenario was set) before the faults above start: 0 is a
   * sync's profile, 1 its connections, 2 its accounts, 3 on its pages of activities.
   */
  faultFromCall: number;
}

export const DEFAULT_SCENARIO: Readonly<DemoScenario> = {
  refreshRefused: false,
  unauthorized: 0,
  rateLimited: 0,
  retryAfter: null,
  serverErrors: 0,
  serverErrorStatus: 503,
  networkDown: false,
  malformedActivities: false,
  malformedFromOffset: 0,
  invalidActivity: false,
  duplicateAcrossPages: false,
  stuckPagination: false,
  pageDelayMs: 0,
  paging: 'has-more',
  maxPageSize: 1000,
  failingAccount: null,
  plan: 'pro',
  newTrades: 0,
  faultFromCall: 0,
};
