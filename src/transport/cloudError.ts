/**
 * Every way a cloud call can fail, as a stable code and a sentence a user can act on.
 * The engine decides from the code what happens to the sync (skip, fail the account, ...).
 */
export type CloudErrorCode =
  /** No refresh token, the auth server refused it, or a second 401: the user is signed out. */
  | 'not-signed-in'
  /** Signed in, but the team's plan does not include broker sync. */
  | 'no-plan'
  | 'network'
  | 'timeout'
  | 'rate-limited'
  | 'server-error'
  /** Any other 4xx: not retried, the server's own message is shown. */
  | 'request-rejected'
  | 'malformed-response'
  /** The server keeps answering the same page. */
  | 'pagination-stuck'
  /** More pages than any real history has (docs/cloud-protocol.md caps at 10,000). */
  | 'too-many-pages';

export class CloudError extends Error {
  override readonly name = 'CloudError';
  /** A 429 that asked to wait longer than a retry may: how long, in milliseconds. */
  readonly retryAfterMs: number | undefined;

  constructor(
    readonly code: CloudErrorCode,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/**
 * A 429 in words, with the wait it asked for when known ("it asks to wait 90 s", "… 5 min": the
 * app reads the wait back from the message, src/ui/models/syncStatus.ts). `long`: the wait is
 * longer than a retry may wait, so nothing was retried (transport/retryPolicy.ts).
 */
export function rateLimited(waitMs: number | null, long = false): CloudError {
  const wait = waitMs === null ? '' : `: it asks to wait ${waitWords(waitMs)}`;
  return new CloudError(
    'rate-limited',
    `Rate limited by the cloud${wait}`,
    429,
    long && waitMs !== null ? { retryAfterMs: waitMs } : {},
  );
}

export const isCloudError = (error: unknown, code?: CloudErrorCode): error is CloudError =>
  error instanceof CloudError && (code === undefined || error.code === code);

/** A 429 that asked to wait longer than a retry may: the cloud is asked nothing more until then. */
export const asksToWaitLong = (error: unknown): error is CloudError & { retryAfterMs: number } =>
  isCloudError(error, 'rate-limited') && error.retryAfterMs !== undefined;

/** A wait in words: "90 s" under two minutes, "5 min" from there. */
export function waitWords(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return seconds < 120 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}
