/**
 * The one HTTP shape the cloud client needs. Each platform adapts its own fetch to it
 * (src/platform/fetchHttp.ts), so this folder stays free of DOM and Node types and tests
 * can hand the client any function that answers.
 */
export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Abort after this long; the adapter turns that into a `timeout` CloudError. */
  timeoutMs: number;
}

export interface HttpResponse {
  status: number;
  header(name: string): string | null;
  /** The whole body, read by the adapter within the request's timeout. */
  body: string;
}

/** Resolves with any HTTP status; rejects with a CloudError (`network`, `timeout`) when no answer came. */
export type HttpClient = (request: HttpRequest) => Promise<HttpResponse>;
