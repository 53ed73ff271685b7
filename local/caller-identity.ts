/**
 * What an authorizer established about the caller, offline, in the two shapes API Gateway
 * hands on: the request context a Lambda backend reads (`requestContext.authorizer`), and the
 * values the HTTP integration maps into `X-M2M-Client-Id` / `X-M2M-Scopes`
 * (constructs/backend-integration.ts maps the same sources).
 */
import type { ProxyAuthorizerContext } from "../backends/proxy-types";

export type CallerIdentity =
  /** Native Cognito authorizer: the access token's claims, each value a string as API Gateway passes them. */
  | { readonly authorizer: "cognito"; readonly claims: Readonly<Record<string, string>> }
  /** Scope checker: its principal and context. */
  | { readonly authorizer: "scope-checker"; readonly principalId: string; readonly context: Readonly<Record<string, string | number | boolean>> };

/** `requestContext.authorizer` of the proxy event. */
export function authorizerContextOf(identity: CallerIdentity): ProxyAuthorizerContext {
  return identity.authorizer === "cognito" ? { claims: { ...identity.claims } } : { principalId: identity.principalId, ...identity.context, integrationLatency: 0 };
}

/** `context.authorizer.claims.client_id` / `.scope`, or `context.authorizer.clientId` / `.scope`: empty when absent, as API Gateway maps a missing value. */
export function identityHeaderValues(identity: CallerIdentity): { readonly clientId: string; readonly scopes: string } {
  if (identity.authorizer === "cognito") return { clientId: identity.claims.client_id ?? "", scopes: identity.claims.scope ?? "" };
  const { clientId, scope } = identity.context;
  return { clientId: clientId === undefined ? "" : String(clientId), scopes: scope === undefined ? "" : String(scope) };
}

/** Claims as API Gateway gives them to a proxy integration: every value a string. */
export function stringClaims(payload: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) out[name] = typeof value === "string" ? value : JSON.stringify(value);
  return out;
}
