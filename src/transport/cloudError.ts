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

  constructor(
    readonly code: CloudErrorCode,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isCloudError = (error: unknown, code?: CloudErrorCode): error is CloudError =>
  error instanceof CloudError && (code === undefined || error.code === code);
