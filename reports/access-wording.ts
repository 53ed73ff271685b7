/**
 * The phrases every report uses for the same facts, so the Markdown report, the HTML page and
 * the access diff say "needs `write`" the same way. Each takes a `code` formatter that marks a
 * scope name up for its medium (backticks, <code>, or nothing).
 */
import type { AccessDecision, ScopeMatch } from "../model/access";
import type { AuthorizerKind } from "../model/config-types";
import type { TokenValidity } from "../model/model-types";
import type { BackendSummary } from "./environment-access";

export type CodeFormatter = (text: string) => string;

export const plain: CodeFormatter = (text) => text;

export function listOf(items: readonly string[], code: CodeFormatter): string {
  return items.map(code).join(", ");
}

/** "`read`", "any of `read`, `write`" or "all of `payments.read`, `payments.write`". */
export function requirementText(match: ScopeMatch, scopes: readonly string[], code: CodeFormatter): string {
  if (scopes.length === 1) return code(scopes[0]!);
  return `${match === "all-of" ? "all of" : "any of"} ${listOf(scopes, code)}`;
}

export function authorizerText(authorizer: AuthorizerKind): string {
  return authorizer === "scope-checker" ? "scope checker (Lambda)" : "Cognito (native)";
}

/** Why a client may not call a route, in a few words; "allowed" when it may. */
export function decisionText(decision: AccessDecision, match: ScopeMatch, code: CodeFormatter): string {
  if (decision.allowed) return "allowed";
  if (decision.reason === "client-disabled") return "client cut off";
  // For an any-of route every required scope is missing (one would have sufficed).
  if (match === "any-of") return decision.missing.length === 1 ? `needs ${code(decision.missing[0]!)}` : `needs one of ${listOf(decision.missing, code)}`;
  return `missing ${listOf(decision.missing, code)}`;
}

/** "mock: 200 `{}`", "Lambda `backends/payments.ts#handler` (function `…`)", "existing Lambda `arn:…`", "HTTPS `https://…`". */
export function backendText(backend: BackendSummary, response: { readonly status: number; readonly body: unknown }, code: CodeFormatter): string {
  switch (backend.type) {
    case "mock":
      return `mock: ${response.status} ${code(JSON.stringify(response.body))}`;
    case "lambda":
      return `Lambda ${code(backend.handler)} (function ${code(backend.functionName)}, ${backend.memoryMb} MB, ${backend.timeoutSeconds} s)`;
    case "lambda-arn":
      return `existing Lambda ${code(backend.functionArn)}`;
    case "http":
      return `HTTPS ${code(backend.url)} (timeout ${backend.timeoutMs} ms)`;
  }
}

/** The backend in a few words, for change lines: "mock", "Lambda `…`", "HTTPS `…`". */
export function backendShortText(backend: BackendSummary, code: CodeFormatter): string {
  switch (backend.type) {
    case "mock":
      return "mock";
    case "lambda":
      return `Lambda ${code(backend.handler)}`;
    case "lambda-arn":
      return `existing Lambda ${code(backend.functionArn)}`;
    case "http":
      return `HTTPS ${code(backend.url)}`;
  }
}

export function validityText(validity: TokenValidity): string {
  const unit = validity.value === 1 ? validity.unit.replace(/s$/, "") : validity.unit;
  return `${validity.value} ${unit}`;
}

/**
 * Shown wherever a cut-off client appears: what "disabled" does and does not stop at once. Issued
 * tokens cannot be revoked; the scope checker's allow-list stops them, but API Gateway caches its
 * answers per token until the deploy workflow flushes the cache (or the TTL runs out).
 */
export const DISABLED_CLIENT_NOTE =
  "A cut-off (disabled) client's new token requests are refused at once. Tokens it already holds stop on scope-checker routes " +
  "when the deploy workflow flushes API Gateway's authorizer cache (otherwise within scopeChecker.resultTtlSeconds, 300 s by default), " +
  "and pass Cognito routes until they expire.";

export const SCOPE_MATCH_NOTE =
  "Cognito routes (API Gateway's native authorizer) accept a token carrying any one of the route's scopes; " +
  "scope-checker routes (the Lambda authorizer) need every scope and an enabled client.";

/** "1 client", "3 clients". */
export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
