/**
 * What a deployed (or offline) stack must answer, derived from the model's access rules — never
 * re-implemented here: `decideAccess` says whether a client may call a route, and
 * `scopeCheckerAllowList` says whether the scope checker even knows the client (a client it does
 * not know is refused with 401 before any policy is built; a known client without the route's
 * scopes gets a Deny, 403). API Gateway's native authorizer answers any refusal with 401.
 *
 * A disabled client must be refused a token, and any OAuth error answer counts (a 4xx with an
 * `error` field): the deployed stack deletes its app client, so Cognito answers as it does for an
 * unknown client, and which code that is has not been checked against real Cognito (its docs list
 * invalid_client; unauthorized_client would be as plausible). The smoke table shows the code received.
 */
import { decideAccess, scopeCheckerAllowList } from "../model/access";
import { parsePath } from "../model/paths";
import type { Client, Route } from "../model/model-types";

export type Expectation =
  | { readonly kind: "status"; readonly status: number; readonly reason: "allowed" | "no token" | "missing scope" | "not on allow-list" }
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

export function expectationFor(client: Client, route: Route, allClients: readonly Client[], allRoutes: readonly Route[]): Expectation {
  const decision = decideAccess(client, route);
  if (decision.allowed) return route.backend.type === "mock" ? { kind: "status", status: route.response.status, reason: "allowed" } : { kind: "backend", reason: "allowed" };
  if (decision.reason === "client-disabled") return { kind: "token-refused", reason: "client disabled" };
  if (route.authorizer === "cognito") return { kind: "status", status: 401, reason: "missing scope" };
  const known = scopeCheckerAllowList(allClients, allRoutes).some((c) => c.name === client.name);
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
