/**
 * What a deployed (or offline) stack must answer, derived from the model's access rules — never
 * re-implemented here: `decideAccess` says whether a client may call a route, and
 * `scopeCheckerAllowList` says whether the scope checker even knows the client (a client it does
 * not know is refused with 401 before any policy is built; a known client without the route's
 * scopes gets a Deny, 403). API Gateway's native authorizer answers any refusal with 401.
 */
import { decideAccess, scopeCheckerAllowList } from "../model/access";
import type { Client, Route } from "../model/model-types";

export type Expectation =
  | { readonly kind: "status"; readonly status: number; readonly reason: "allowed" | "no token" | "missing scope" | "not on allow-list" }
  | { readonly kind: "token-refused"; readonly code: "unauthorized_client"; readonly reason: "client disabled" };

export function expectationWithoutToken(): Expectation {
  return { kind: "status", status: 401, reason: "no token" };
}

export function expectationFor(client: Client, route: Route, allClients: readonly Client[], allRoutes: readonly Route[]): Expectation {
  const decision = decideAccess(client, route);
  if (decision.allowed) return { kind: "status", status: route.response.status, reason: "allowed" };
  // A disabled app client has no OAuth flow: Cognito refuses it a token.
  if (decision.reason === "client-disabled") return { kind: "token-refused", code: "unauthorized_client", reason: "client disabled" };
  if (route.authorizer === "cognito") return { kind: "status", status: 401, reason: "missing scope" };
  const known = scopeCheckerAllowList(allClients, allRoutes).some((c) => c.name === client.name);
  return known ? { kind: "status", status: 403, reason: "missing scope" } : { kind: "status", status: 401, reason: "not on allow-list" };
}

/** A concrete request path for a route: `{id}` -> `smoke-id`, `{proxy+}` -> `smoke/proxy`. */
export function samplePath(routePath: string): string {
  return routePath.replace(/\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}/g, (_, name: string, greedy: string) => (greedy ? `smoke/${name}` : `smoke-${name}`));
}

/** `ANY` is exercised with GET. */
export function sampleMethod(routeMethod: string): string {
  return routeMethod === "ANY" ? "GET" : routeMethod;
}
