/**
 * One log record per authorization decision, handed to `console.log` as an object: the function
 * logs in Lambda's JSON format, so the runtime writes it as the `message` of one JSON log event
 * (`{"timestamp":…,"level":"INFO","requestId":…,"message":{"msg":"scope-check",…}}`), which the
 * fail-closed metric filter selects with `$.message.reason`. (In the text format the line would
 * start with a timestamp and request id, and no JSON filter would ever match it.) What it may contain is fixed here: the verified
 * client id, the route template, the decision and a reason *class*. Never the token, the
 * Authorization header, claims of an unverified token or the event (they carry credentials).
 * A 401 carries a client id only for `client-not-allowed`: that token's signature and claims
 * were verified, only its client is off the allow-list (the line ops look for after cutting a
 * client off).
 */

/** Why a request was refused with 401 (`Error("Unauthorized")`). */
export type UnauthorizedReason =
  | "no-token"
  | "malformed-header"
  | "multiple-tokens"
  | "oversized-token"
  | "malformed-token"
  | "unsupported-alg"
  | "unknown-kid"
  | "bad-signature"
  | "expired"
  | "not-yet-valid"
  | "wrong-issuer"
  | "wrong-token-use"
  | "client-not-allowed"
  | "invalid-claims"
  | "invalid-token"
  | "jwks-unavailable"
  | "config-invalid"
  | "bad-event";

/** Why a verified token got a Deny (403) for the route it called. */
export type DenyReason = "missing-scope" | "unknown-route" | "certificate-missing" | "certificate-mismatch" | "client-not-bound";

export type Decision =
  | { readonly decision: "allow"; readonly reason: "scopes-satisfied"; readonly clientId: string }
  | { readonly decision: "deny"; readonly reason: DenyReason; readonly clientId: string }
  | { readonly decision: "unauthorized"; readonly reason: UnauthorizedReason; readonly clientId?: string };

/** Longest route text logged: the method and resource come from the event, keep lines bounded. */
const MAX_ROUTE_CHARS = 256;

/** A log record: flat, with fixed keys and string or number values. */
export type LogRecord = Readonly<Record<string, string | number>>;

/** Where records go. Lambda ships console output to CloudWatch; tests, the CLI and the bench swap the sink. */
export type LogSink = (record: LogRecord) => void;

/** One argument, an object: the JSON log format embeds it as the event's `message` object. */
let sink: LogSink = (record) => console.log(record);

/** Replaces the sink (tests, bench); returns the previous one so callers can restore it. */
export function setDecisionLogSink(next: LogSink): LogSink {
  const previous = sink;
  sink = next;
  return previous;
}

/** `GET /orders/{id}` from the event's method and resource template (bounded, strings only). */
export function routeLabel(httpMethod: unknown, resource: unknown): string {
  const method = typeof httpMethod === "string" ? httpMethod : "?";
  const path = typeof resource === "string" ? resource : "?";
  const label = `${method} ${path}`;
  return label.length > MAX_ROUTE_CHARS ? `${label.slice(0, MAX_ROUTE_CHARS)}...` : label;
}

export function logDecision(route: string, decision: Decision): void {
  // Built field by field, so nothing else (claims, headers, the event) can slip into a record.
  sink(
    decision.clientId === undefined
      ? { msg: "scope-check", decision: decision.decision, reason: decision.reason, route }
      : { msg: "scope-check", decision: decision.decision, reason: decision.reason, clientId: decision.clientId, route },
  );
}

/**
 * A JWKS re-fetch for a token whose key id the cached keys lacked: its outcome, once per fetch.
 * A failure carries reason `jwks-unavailable`, like a failed cold-start load, so the same
 * fail-closed alarm counts it (rotated keys that cannot be fetched mean 401s).
 */
export function logJwksRefresh(result: { readonly outcome: "loaded"; readonly keys: number } | { readonly outcome: "failed"; readonly detail: string }): void {
  sink(result.outcome === "failed" ? { msg: "scope-check-jwks-refresh", outcome: "failed", reason: "jwks-unavailable", detail: result.detail } : { msg: "scope-check-jwks-refresh", outcome: "loaded", keys: result.keys });
}

/** A failure of the Lambda's own setup (environment, JWKS), logged once when it happens. */
export function logSetupFailure(reason: UnauthorizedReason, detail: string): void {
  sink({ msg: "scope-check-setup-failed", reason, detail });
}
