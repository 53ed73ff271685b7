/**
 * What a deployed (or offline) stack must answer, derived from the model's access rules — never
 * re-implemented here: `decideRouteAccess` says whether a client may call a route (only its
 * scopes on the route's API count), and `scopeCheckerAllowList` over the route's API's routes
 * says whether that API's scope checker even knows the client (a client it does not know is
 * refused with 401 before any policy is built; a known client without the route's scopes gets a
 * Deny, 403). API Gateway's native authorizer answers any refusal with 401. A client with scopes
 * on other APIs only is refused as one without the scope: 401 at a native route, 401 at a
 * scope-checker route (it is on no allow-list of this API).
 *
 * A disabled client must be refused a token, and any OAuth error answer counts (a 4xx with an
 * `error` field): the deployed stack deletes its app client, so Cognito answers as it does for an
 * unknown client, and which code that is has not been checked against real Cognito (its docs list
 * invalid_client; unauthorized_client would be as plausible). The smoke table shows the code received.
 */
import { clientOnApi, decideRouteAccess, scopeCheckerAllowList } from "../model/access";
import { parsePath } from "../model/paths";
import type { Client, Route } from "../model/model-types";

export type Expectation =
  | { readonly kind: "status"; readonly status: number; readonly reason: "allowed" | "no token" | "missing scope" | "no scope on this API" | "not on allow-list" }
  /**
   * An allowed call to a real backend (Lambda or HTTP): the model cannot say what the service
   * answers to a sample request, only that the call got through to it. Any status below 500
   * that is not an API Gateway error answer (`x-amzn-errortype`) passes; a 400 from a backend
   * refusing the sample body `{}` passes too, since the gateway let the client through.
   */
  | { readonly kind: "backend"; readonly reason: "allowed" }
  | { readonly kind: "token-refused"; readonly reason: "client disabled" };

export function expectationWithoutToken(): Expectation {
  return { kind: "status", status: 401, reason: "no token" };
}

/** `apiRoutes`: the routes of the route's API (its scope checker's allow-list is built from them). */
export function expectationFor(client: Client, route: Route, allClients: readonly Client[], apiRoutes: readonly Route[]): Expectation {
  const decision = decideRouteAccess(client, route);
  if (decision.allowed) return route.backend.type === "mock" ? { kind: "status", status: route.response.status, reason: "allowed" } : { kind: "backend", reason: "allowed" };
  if (decision.reason === "client-disabled") return { kind: "token-refused", reason: "client disabled" };
  if (clientOnApi(client, route.api).scopes.length === 0 && client.scopes.length > 0) return { kind: "status", status: 401, reason: "no scope on this API" };
  if (route.authorizer === "cognito") return { kind: "status", status: 401, reason: "missing scope" };
  const known = scopeCheckerAllowList(allClients, apiRoutes.filter((r) => r.api === route.api)).some((c) => c.name === client.name);
  return known ? { kind: "status", status: 403, reason: "missing scope" } : { kind: "status", status: 401, reason: "not on allow-list" };
}

/** A concrete request path for a route: `{id}` -> `smoke-id`, `{proxy+}` -> `smoke/proxy`. */
export function samplePath(routePath: string): string {
  const parsed = parsePath(routePath);
  if ("problem" in parsed) throw new Error(`route path ${routePath}: ${parsed.problem}`);
  if (parsed.segments.length === 0) return "/";
  const parts = parsed.segments.map((s) => (s.kind === "literal" ? s.text : s.greedy ? `smoke/${s.name}` : `smoke-${s.name}`));
  return `/${parts.join("/")}`;
}

/** `ANY` is exercised with GET. */
export function sampleMethod(routeMethod: string): string {
  return routeMethod === "ANY" ? "GET" : routeMethod;
}

/** Methods whose calls carry a body. */
const METHODS_WITH_BODY = new Set(["POST", "PUT", "PATCH"]);

/**
 * The request a smoke call sends besides the token: methods that take a body send `{}` as
 * `application/json`, as a real caller would. The deployed integrations refuse any other
 * Content-Type with 415 (and `fetch` labels a bare string body `text/plain`), so the header is
 * what keeps a correct deployment from looking broken.
 */
export function sampleRequest(method: string): { readonly headers: Readonly<Record<string, string>>; readonly body?: string } {
  return METHODS_WITH_BODY.has(method) ? { headers: { "content-type": "application/json" }, body: "{}" } : { headers: {} };
}
