/**
 * testSecret's proof that a secret works: a client-credentials token from the token endpoint,
 * requested with that secret (HTTP Basic, form-encoded per RFC 6749 §2.3.1). A secret Cognito has
 * just added may take a moment to be accepted everywhere, so a refusal is retried a few times
 * with a growing pause; the answer's token is discarded, never logged.
 */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface TokenCheckOptions {
  readonly tokenEndpoint: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Requested explicitly when not empty (an empty list asks for every scope the client has). */
  readonly scopes?: readonly string[];
  readonly fetch: FetchLike;
  readonly sleep: (ms: number) => Promise<void>;
  /** @default 5 */
  readonly attempts?: number;
  /** First pause; doubled after each refusal. @default 500 */
  readonly baseDelayMs?: number;
}

/** `undefined` when a token was obtained, else the last reason (status and OAuth error code). */
export async function obtainToken(options: TokenCheckOptions): Promise<string | undefined> {
  const encode = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");
  const authorization = `Basic ${Buffer.from(`${encode(options.clientId)}:${encode(options.clientSecret)}`).toString("base64")}`;
  const attempts = options.attempts ?? 5;
  let delay = options.baseDelayMs ?? 500;
  let reason = "no attempt";
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const response = await options.fetch(options.tokenEndpoint, {
        method: "POST",
        headers: { authorization, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: new URLSearchParams({ grant_type: "client_credentials", ...(options.scopes?.length ? { scope: options.scopes.join(" ") } : {}) }).toString(),
        signal: AbortSignal.timeout(5000),
      });
      const json = (await response.json().catch(() => undefined)) as { access_token?: unknown; error?: unknown } | undefined;
      if (response.ok && typeof json?.access_token === "string" && json.access_token !== "") return undefined;
      // Only a well-formed OAuth error code is repeated: an endpoint that echoes input must not leak it.
      reason = `HTTP ${response.status}${typeof json?.error === "string" && /^[a-z_]{1,40}$/.test(json.error) ? ` ${json.error}` : ""}`;
    } catch (error) {
      reason = `network error (${(error as Error).name})`;
    }
    if (attempt < attempts) {
      await options.sleep(delay);
      delay *= 2;
    }
  }
  return reason;
}
