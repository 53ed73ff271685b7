/**
 * A client-credentials token client that does not waste money: Cognito bills every successful
 * token request, so the token is cached until shortly before it expires, and concurrent callers
 * share one request. Transient failures (network, 429, 5xx) are retried with bounded backoff;
 * OAuth errors are final, except one: `invalid_client` when the caller can re-read its credentials
 * (`reloadCredentials`, e.g. from Secrets Manager after a rotation deleted the secret this client
 * started with): the credentials are re-read once and the request retried once. The secret is used only to build the Basic header of each request and
 * never appears in an error, a log line or the returned object.
 */
import { OAuthError, TokenClientConfigError, TokenEndpointUnavailableError, TokenResponseError } from "./errors";
import { DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfter, retryDelayMs, type RetryPolicy } from "./retry-policy";

export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

export interface TokenClientOptions {
  readonly tokenEndpoint: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Full scope identifiers to request; absent: every scope the client is allowed. */
  readonly scopes?: readonly string[];
  /** Refresh this long before expiry (capped at half the token's lifetime). @default 60 */
  readonly refreshSkewSeconds?: number;
  /** @default globalThis.fetch */
  readonly fetch?: FetchLike;
  /** @default DEFAULT_RETRY_POLICY (4 attempts, 100 ms base, 2 s cap) */
  readonly retry?: Partial<RetryPolicy>;
  /** Per-attempt timeout. @default 10000 */
  readonly requestTimeoutMs?: number;
  /**
   * Re-reads the client's credentials (e.g. its Secrets Manager secret) when the token endpoint
   * answers `invalid_client`: the secret may have been rotated. One re-read and one retry per
   * token request; concurrent callers share both (they share the token request).
   */
  readonly reloadCredentials?: () => Promise<{ readonly clientId: string; readonly clientSecret: string }>;
  /** Injectable for tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Injectable for tests: [0, 1). */
  readonly random?: () => number;
  /** Injectable clock in milliseconds. */
  readonly now?: () => number;
}

export interface TokenClient {
  /** A valid access token: the cached one, or a new one (one request, shared by concurrent callers). */
  getToken(): Promise<string>;
  /**
   * Forget the cached token, so the next `getToken` fetches a new one. Pass the token the API
   * refused: if another caller already replaced it, the newer token is kept (no request storm).
   */
  invalidate(rejectedToken?: string): void;
  /**
   * How many tokens this client has obtained so far. fetchWithToken compares it around
   * `getToken()` to tell a token obtained for the call at hand from a cached one. Optional, so
   * other implementations of this interface keep working (without it, no token counts as new).
   */
  readonly tokensObtained?: number;
}

interface CachedToken {
  readonly accessToken: string;
  readonly refreshAtMs: number;
}

const DEFAULT_SKEW_SECONDS = 60;

/** RFC 6749 §2.3.1: form-encode id and secret before base64. */
function basicAuthorization(clientId: string, clientSecret: string): string {
  const encode = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString("base64")}`;
}

function networkFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === "string") return `network error (${cause.code})`;
  if ((error as Error | undefined)?.name === "TimeoutError") return "network error (timeout)";
  return "network error";
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return JSON.parse(await response.text());
  } catch {
    return undefined;
  }
}

export const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** The secret travels in every request: only HTTPS, or plain HTTP to this machine (the offline environment). */
function checkTokenEndpoint(tokenEndpoint: string): void {
  let url: URL;
  try {
    url = new URL(tokenEndpoint);
  } catch {
    throw new TokenClientConfigError("tokenEndpoint", "must be an absolute URL");
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname))) {
    throw new TokenClientConfigError("tokenEndpoint", "must use https (plain http only to 127.0.0.1 or localhost)");
  }
}

export function createTokenClient(options: TokenClientOptions): TokenClient {
  checkTokenEndpoint(options.tokenEndpoint);
  if (!options.clientId || !options.clientSecret) throw new TokenClientConfigError(!options.clientId ? "clientId" : "clientSecret", "must not be empty");
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const skewSeconds = options.refreshSkewSeconds ?? DEFAULT_SKEW_SECONDS;
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  let credentials = { clientId: options.clientId, clientSecret: options.clientSecret };
  let authorization = basicAuthorization(credentials.clientId, credentials.clientSecret);
  const body = new URLSearchParams({ grant_type: "client_credentials" });
  if (options.scopes && options.scopes.length > 0) body.set("scope", options.scopes.join(" "));
  const requestBody = body.toString();
  // Belt and braces: an endpoint that echoes what it got must not smuggle the secret into a message.
  const redact = (text: string | undefined) => (text && credentials.clientSecret ? text.split(credentials.clientSecret).join("[redacted]") : text);

  let cached: CachedToken | undefined;
  let inFlight: Promise<string> | undefined;
  let tokensObtained = 0;

  /** One attempt: a token, a final error (thrown), or a retryable failure (returned). */
  async function attempt(): Promise<{ token: CachedToken } | { retry: string; retryAfterMs?: number }> {
    const startedAt = now();
    let response: Response;
    try {
      response = await fetchImpl(options.tokenEndpoint, {
        method: "POST",
        headers: { authorization, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: requestBody,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      return { retry: networkFailure(error) };
    }
    if (isRetryableStatus(response.status)) {
      await response.body?.cancel();
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), now());
      return retryAfterMs === undefined ? { retry: `HTTP ${response.status}` } : { retry: `HTTP ${response.status}`, retryAfterMs };
    }
    const json = (await readJson(response)) as Record<string, unknown> | undefined;
    if (!response.ok) {
      if (json && typeof json.error === "string") {
        const description = typeof json.error_description === "string" ? json.error_description : undefined;
        throw new OAuthError(redact(json.error)!, redact(description), response.status);
      }
      throw new TokenResponseError(response.status, "not an OAuth error response");
    }
    const accessToken = json?.access_token;
    const expiresIn = json?.expires_in;
    const tokenType = json?.token_type;
    if (typeof accessToken !== "string" || accessToken === "") throw new TokenResponseError(response.status, "no access_token");
    if (typeof expiresIn !== "number" || !Number.isFinite(expiresIn) || expiresIn <= 0) throw new TokenResponseError(response.status, "no positive expires_in");
    if (typeof tokenType !== "string" || tokenType.toLowerCase() !== "bearer") throw new TokenResponseError(response.status, "token_type is not Bearer");
    // Measured from when the request was sent, so network time only makes the refresh earlier.
    const skew = Math.min(skewSeconds, expiresIn / 2);
    return { token: { accessToken, refreshAtMs: startedAt + (expiresIn - skew) * 1000 } };
  }

  /** One token request; after `invalid_client`, re-read the credentials and try once more if they changed. */
  async function requestToken(): Promise<string> {
    try {
      return await requestWithRetries();
    } catch (error) {
      if (!(error instanceof OAuthError) || error.code !== "invalid_client" || !options.reloadCredentials) throw error;
      const reloaded = await options.reloadCredentials();
      if (!reloaded.clientId || !reloaded.clientSecret) throw error;
      // Unchanged credentials would only be refused again (and billed nothing, but still wasted).
      if (reloaded.clientId === credentials.clientId && reloaded.clientSecret === credentials.clientSecret) throw error;
      credentials = { clientId: reloaded.clientId, clientSecret: reloaded.clientSecret };
      authorization = basicAuthorization(credentials.clientId, credentials.clientSecret);
      return requestWithRetries();
    }
  }

  async function requestWithRetries(): Promise<string> {
    let lastFailure = "";
    for (let attemptNumber = 1; attemptNumber <= policy.maxAttempts; attemptNumber++) {
      const outcome = await attempt();
      if ("token" in outcome) {
        cached = outcome.token;
        tokensObtained++;
        return outcome.token.accessToken;
      }
      lastFailure = outcome.retry;
      if (attemptNumber < policy.maxAttempts) await sleep(retryDelayMs(policy, attemptNumber, random, outcome.retryAfterMs));
    }
    throw new TokenEndpointUnavailableError(policy.maxAttempts, lastFailure);
  }

  return {
    getToken() {
      if (cached && now() < cached.refreshAtMs) return Promise.resolve(cached.accessToken);
      inFlight ??= requestToken().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    invalidate(rejectedToken) {
      if (rejectedToken === undefined || cached?.accessToken === rejectedToken) cached = undefined;
    },
    get tokensObtained() {
      return tokensObtained;
    },
  };
}
