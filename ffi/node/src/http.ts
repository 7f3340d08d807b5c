// What an error says about retrying: read from the shapes fetch and axios errors take. The library decides
// what to do with it (backoff_retry_after_parse reads the header; the retrier weighs the hint).
import { CircuitBreakerOpenError } from './errors.js';
import { library } from './native.js';

// Client errors that a retry cannot fix, and the two that a wait can: 408 Request Timeout, 429 Too Many
// Requests.
const RETRYABLE_CLIENT_STATUSES = new Set([408, 429]);

interface HttpLike {
  status?: unknown;
  response?: { status?: unknown; headers?: unknown };
  headers?: unknown;
  name?: unknown;
}

/** The HTTP status an error carries: `error.status` (an HttpError of yours) or `error.response.status` (axios). */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as HttpLike;
  const status = e.status ?? e.response?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * The default `shouldRetry` and `isFailure`: true unless the error says a retry cannot help. Network
 * errors, timeouts, 5xx, 408 and 429 are transient; other 4xx are the request's fault; an open breaker
 * and an aborted call are final. An error that says nothing (a plain `Error`) counts as transient.
 */
export function isTransientError(error: unknown): boolean {
  if (error instanceof CircuitBreakerOpenError) return false;
  if ((error as HttpLike | null)?.name === 'AbortError') return false;
  const status = statusOf(error);
  return status === undefined || status >= 500 || status < 400 || RETRYABLE_CLIENT_STATUSES.has(status);
}

function headerOf(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, unknown>)[name];
  return value === undefined || value === null ? undefined : String(value);
}

/**
 * The default `retryAfter`: the Retry-After header of the response an error carries, as axios errors
 * (`error.response.headers`) and errors holding a fetch `Response` (`error.response.headers.get`) do.
 */
export function retryAfterOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as HttpLike;
  return headerOf(e.response?.headers, 'retry-after') ?? headerOf(e.headers, 'retry-after');
}

/**
 * The wait a Retry-After value asks for, in ns, read by the library (delta-seconds or an HTTP-date
 * against the wall clock); 0 for no value or one that does not parse: then the server gave no usable hint.
 */
export function retryAfterNs(value: string | number | undefined): bigint {
  if (value === undefined) return 0n;
  const lib = library();
  const nowUnixNs = BigInt(Date.now()) * 1_000_000n;
  if (lib.retryAfterParse(lib.out.ptr, String(value), nowUnixNs) !== 0) return 0n;
  return lib.out.i64[0]!;
}
