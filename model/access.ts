/**
 * The access rules, in one place. The constructs, the scope-checker Lambda, the local
 * environment and the reports all decide "may this client call this route" here.
 * Pure and dependency-free: the Lambda bundle imports it.
 */

export type ScopeMatch = "any-of" | "all-of";

/** API Gateway's native Cognito authorizer matches any-of; the scope checker requires all-of. */
export function scopeMatchOf(authorizer: "cognito" | "scope-checker"): ScopeMatch {
  return authorizer === "scope-checker" ? "all-of" : "any-of";
}

/** Whether granted scopes satisfy a route's required scopes. An empty requirement is never satisfied (deny when in doubt). */
export function scopesSatisfy(match: ScopeMatch, required: readonly string[], granted: ReadonlySet<string>): boolean {
  if (required.length === 0) return false;
  return match === "all-of" ? required.every((s) => granted.has(s)) : required.some((s) => granted.has(s));
}

export type AccessDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly reason: "client-disabled" }
  | { readonly allowed: false; readonly reason: "missing-scope"; readonly missing: readonly string[] };

/**
 * The effective access of a client to a route, as deployed. A disabled client cannot obtain
 * tokens, and the scope checker refuses the tokens it still holds.
 */
export function decideAccess(
  client: { readonly scopes: readonly string[]; readonly disabled: boolean },
  route: { readonly scopes: readonly string[]; readonly authorizer: "cognito" | "scope-checker" },
): AccessDecision {
  if (client.disabled) return { allowed: false, reason: "client-disabled" };
  const granted = new Set(client.scopes);
  const match = scopeMatchOf(route.authorizer);
  if (scopesSatisfy(match, route.scopes, granted)) return { allowed: true };
  const missing = route.scopes.filter((s) => !granted.has(s));
  return { allowed: false, reason: "missing-scope", missing };
}

/** A client as the model holds it: granted scopes across APIs. */
export interface GrantedClient {
  readonly scopes: readonly { readonly api: string; readonly scope: string }[];
  readonly disabled: boolean;
}

/** A route of one API. */
export interface ApiRoute {
  readonly api: string;
  readonly scopes: readonly string[];
  readonly authorizer: "cognito" | "scope-checker";
}

/** A client seen from one API: the names of the scopes it holds there (a token's scopes for that resource server). */
export function clientOnApi(client: GrantedClient, api: string): { readonly scopes: readonly string[]; readonly disabled: boolean } {
  return { scopes: client.scopes.filter((g) => g.api === api).map((g) => g.scope), disabled: client.disabled };
}

/** `decideAccess` for a route of any API: only the client's scopes on the route's API count. */
export function decideRouteAccess(client: GrantedClient, route: ApiRoute): AccessDecision {
  return decideAccess(clientOnApi(client, route.api), route);
}

/**
 * The scope checker's client allow-list: enabled clients that some scope-checker route would
 * let through. Everyone else is refused with 401 before any policy is built.
 */
export function scopeCheckerAllowList<C extends GrantedClient>(clients: readonly C[], routes: readonly ApiRoute[]): C[] {
  const checked = routes.filter((r) => r.authorizer === "scope-checker");
  return clients.filter((c) => checked.some((r) => decideRouteAccess(c, r).allowed));
}

/** Longest Cognito app client id (they are 26 characters today; the API allows up to 128). */
const CLIENT_ID_BYTES_BOUND = 128;

/**
 * An upper bound of the scope checker's access file (`{"clientIds":[…],"routes":[…]}`) in
 * bytes, for `allowed` clients and these routes: client ids at their longest, plus the routes
 * as JSON (the file holds scope names, the identifier prefix stays in the environment).
 */
export function scopeCheckerAccessFileBytes(allowed: number, routes: readonly { readonly method: unknown; readonly path: unknown; readonly scopes: readonly string[] }[]): number {
  const routeBytes = JSON.stringify(routes.map((r) => ({ method: r.method, path: r.path, scopes: r.scopes }))).length;
  return allowed * (CLIENT_ID_BYTES_BOUND + 3) + routeBytes + 32;
}
