/**
 * When to retry a token request and how long to wait: bounded exponential backoff with full
 * jitter (so a fleet of clients that failed together does not retry together), and the
 * endpoint's `Retry-After` when it sends one.
 */

export interface RetryPolicy {
  /** Attempts in total, the first included. */
  readonly maxAttempts: number;
  /** Upper bound of the first retry's delay; doubles per retry. */
  readonly baseDelayMs: number;
  /** No computed delay exceeds this. */
  readonly maxDelayMs: number;
  /** A `Retry-After` longer than this is shortened to it. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 2_000, maxRetryAfterMs: 30_000 };

/** 429 (throttled: Cognito's client-credentials quota) and 5xx are worth retrying; other statuses are answers. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date (RFC 9110 IMF-fixdate, "Wed, 01 Jan 2025 00:00:10 GMT"); Date.parse alone would take "-1".
  if (!/^[A-Za-z]{3}, .+ GMT$/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * Delay before retry number `retry` (1 for the first retry): the server's `Retry-After` when given
 * (capped), otherwise a uniformly random delay in [0, min(maxDelay, base * 2^(retry-1))).
 */
export function retryDelayMs(policy: RetryPolicy, retry: number, random: () => number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}
