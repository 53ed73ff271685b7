/**
 * Calls an API with the client's bearer token, and refreshes the token on a 401 only when a new
 * token can help.
 *
 * A 401 has two causes that look the same: the API no longer accepts the token (it expired early
 * by the API's clock, the pool's keys changed), which a new token fixes; or the token is fine but
 * not enough for this route (API Gateway's native authorizer answers a missing scope with 401, the
 * scope checker answers 401 to a client it does not know), which no token fixes, and where every
 * new token is a billed Cognito request that also throws away a good cached token.
 *
 * Rule — at most one refresh per token:
 * - a 401 to a token that was cached before this call: fetch a new token and retry once;
 * - a 401 to a token obtained during this call (fetched for it because the cache was empty or
 *   due, or the replacement fetched after a 401): no refresh. A brand-new token that is refused
 *   shows that the refusal is not about the token's age. The token is remembered, so later 401s
 *   with it are returned as they are, without a token request; it stays cached and keeps working
 *   on the routes the client may call.
 * A replacement that the API accepted on the retry is an ordinary token again (the refresh did
 * help: the API had stopped accepting the old one), so a later 401 gets it one refresh too.
 *
 * A 429 (the client's usage plan: throttled, or its quota spent) is never a reason for a new
 * token. It is retried with the token client's retry policy when a wait can help: after the
 * `Retry-After` the API sends when that is at most `maxRetryAfterMs` (a throttled burst), or
 * after a jittered backoff when there is none, at most `maxAttempts` calls in all; a longer
 * `Retry-After` (a quota spent until the period ends) is returned at once.
 *
 * Cost of calling a route the client may not call: at most one extra token request per token
 * lifetime, however many calls (none when the token was obtained for a call to that route).
 * Limit: a remembered token that later also expires early by the API's clock (client clock more
 * than `refreshSkewSeconds` behind) answers 401 until the client's clock lets the token client
 * replace it; Cognito client-credentials access tokens cannot be revoked, so age is the only way
 * the API stops accepting one.
 */
import { DEFAULT_RETRY_POLICY, parseRetryAfter, retryDelayMs, type RetryPolicy } from "./retry-policy";
import type { FetchLike, TokenClient } from "./token-client";

export interface FetchWithTokenOptions {
  /** @default globalThis.fetch */
  readonly fetch?: FetchLike;
  /** How 429s are retried; false: never. @default DEFAULT_RETRY_POLICY */
  readonly retry?: Partial<RetryPolicy> | false;
  /** Injectable for tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Injectable for tests: [0, 1). */
  readonly random?: () => number;
  /** Injectable clock in milliseconds (for HTTP-date Retry-After). */
  readonly now?: () => number;
}

/** `fetchImpl` that waits out a 429 when the wait is short enough (see the module comment). */
function retryingThrottled(fetchImpl: FetchLike, options: FetchWithTokenOptions, replayable: boolean): FetchLike {
  if (options.retry === false || !replayable) return fetchImpl;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  return async (input, init) => {
    for (let attempt = 1; ; attempt++) {
      const response = await fetchImpl(input, init);
      if (response.status !== 429 || attempt >= policy.maxAttempts) return response;
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), now());
      if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) return response;
      await response.body?.cancel();
      await sleep(retryDelayMs(policy, attempt, random, retryAfterMs));
    }
  };
}

/** Bodies that can be sent twice; a stream is consumed by the first attempt. */
function isReplayable(body: RequestInit["body"]): boolean {
  return body === undefined || body === null || typeof body === "string" || body instanceof URLSearchParams || body instanceof ArrayBuffer || ArrayBuffer.isView(body) || body instanceof Blob || body instanceof FormData;
}

function withBearer(init: RequestInit | undefined, token: string): RequestInit {
  const headers = new Headers(init?.headers);
  headers.set("authorization", `Bearer ${token}`);
  return { ...init, headers };
}

/** Tokens refused as soon as they were obtained, per token client. A client holds one token at a time, so a few entries suffice. */
const refusedNewTokens = new WeakMap<TokenClient, Set<string>>();
const REMEMBERED_REFUSALS = 8;

function rememberRefused(tokens: TokenClient, token: string): void {
  let refused = refusedNewTokens.get(tokens);
  if (!refused) refusedNewTokens.set(tokens, (refused = new Set()));
  refused.add(token);
  // Sets iterate in insertion order: drop the oldest (long replaced) tokens.
  for (const old of refused) {
    if (refused.size <= REMEMBERED_REFUSALS) break;
    refused.delete(old);
  }
}

/** `getToken()`, and whether the token was obtained by this very call (rather than taken from the cache). */
async function tokenForCall(tokens: TokenClient): Promise<{ token: string; obtainedNow: boolean }> {
  const before = tokens.tokensObtained;
  const token = await tokens.getToken();
  return { token, obtainedNow: before !== undefined && tokens.tokensObtained !== before };
}

export async function fetchWithToken(tokens: TokenClient, input: string | URL, init?: RequestInit, options: FetchWithTokenOptions = {}): Promise<Response> {
  const fetchImpl = retryingThrottled(options.fetch ?? ((i, n) => fetch(i, n)), options, isReplayable(init?.body));
  const { token, obtainedNow } = await tokenForCall(tokens);
  const response = await fetchImpl(input, withBearer(init, token));
  if (response.status !== 401 || !isReplayable(init?.body)) return response;
  if (obtainedNow) {
    rememberRefused(tokens, token);
    return response;
  }
  if (refusedNewTokens.get(tokens)?.has(token)) return response;

  tokens.invalidate(token);
  const replacement = await tokens.getToken();
  // A token client that hands back the refused token cannot help either.
  if (replacement === token) return response;
  await response.body?.cancel();
  const retried = await fetchImpl(input, withBearer(init, replacement));
  if (retried.status === 401) rememberRefused(tokens, replacement);
  return retried;
}
