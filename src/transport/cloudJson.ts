/**
 * Turning an HTTP answer into either validated data or a CloudError with a sentence a user
 * can act on. Shared by the auth session and the API client.
 */
import * as v from 'valibot';
import { CloudError, rateLimited } from './cloudError.ts';
import { ErrorBodySchema } from './cloudSchemas.ts';
import type { HttpResponse } from './http.ts';
import { parseRetryAfter } from './retryPolicy.ts';

function parseJson(body: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    return { ok: false };
  }
}

/** The server's own words from a `{error, code, message}` body, if it sent any. */
function serverMessage(response: HttpResponse): string | null {
  const json = parseJson(response.body);
  if (!json.ok) return null;
  const parsed = v.safeParse(ErrorBodySchema, json.value);
  if (!parsed.success) return null;
  return parsed.output.message || parsed.output.error || parsed.output.code || null;
}

/** The error for a non-2xx answer that retries (if any) did not cure. */
function errorFromResponse(response: HttpResponse, what: string): CloudError {
  const { status } = response;
  const detail = serverMessage(response);
  if (status === 429) {
    // Still refused after the retries (which waited as asked): the last wait it asked for.
    return rateLimited(parseRetryAfter(response.header('retry-after'), Date.now()));
  }
  if (status >= 500) {
    return new CloudError(
      'server-error',
      `The cloud failed on ${what} (HTTP ${status}${detail ? `: ${detail}` : ''})`,
      status,
    );
  }
  return new CloudError('request-rejected', detail ?? `The cloud refused ${what} (HTTP ${status})`, status);
}

/** One line naming the first problem valibot found, and how many more there were. */
export function describeIssues(issues: [v.BaseIssue<unknown>, ...v.BaseIssue<unknown>[]]): string {
  const [first] = issues;
  const path = v.getDotPath(first);
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return `${path ? `${path}: ` : ''}${first.message}${more}`;
}

/** The validated body of a 2xx answer; anything else becomes a CloudError. */
export function readJson<S extends v.GenericSchema>(response: HttpResponse, schema: S, what: string): v.InferOutput<S> {
  if (response.status < 200 || response.status > 299) throw errorFromResponse(response, what);
  const json = parseJson(response.body);
  if (!json.ok) {
    throw new CloudError(
      'malformed-response',
      `The cloud sent a malformed answer for ${what}: not JSON`,
      response.status,
    );
  }
  const parsed = v.safeParse(schema, json.value);
  if (!parsed.success) {
    throw new CloudError(
      'malformed-response',
      `The cloud sent a malformed answer for ${what}: ${describeIssues(parsed.issues)}`,
      response.status,
    );
  }
  return parsed.output;
}
