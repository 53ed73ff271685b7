/**
 * Policies that stay right when API Gateway caches them. With result caching on, the policy
 * returned for one request is reused, for the same token, on *every* scope-checker route,
 * so it must describe everything the token may and may not call, not just the called route:
 *  - Allow: the ARN pattern of each route whose scopes the token holds *all* of;
 *  - Deny: each route it may not call that an Allow pattern would still match (`*` spans `/`,
 *    so `GET/orders/*` also matches `GET/orders/7/refunds`); an explicit Deny wins over Allow.
 * The result depends only on the token's scope claim (and the API/stage prefix), so it is
 * computed once per distinct scope claim and reused.
 */
import { scopesSatisfy } from "../../model/access";
import type { PolicyStatement } from "./authorizer-types";
import type { RouteTable } from "./route-table";

export interface ScopeGrant {
  /** `permitted[i]`: the token may call route i. */
  readonly permitted: readonly boolean[];
  readonly allowPatterns: readonly string[];
  readonly denyPatterns: readonly string[];
  /**
   * A Deny pattern also matches some request of a permitted route (a route table like
   * `/a/{x}`, `/a/{x}/b` and `/a/{x}/b/{y}` with mixed scopes). We keep the Deny: the cached
   * policy may then refuse such a request (403), but it never grants a route it should not.
   */
  readonly ambiguous: boolean;
}

/** Distinct scope claims remembered; a service sees a handful (one per client). */
const MAX_CACHED_GRANTS = 512;

export function computeGrant(table: RouteTable, granted: ReadonlySet<string>): ScopeGrant {
  const { routes, overlaps } = table;
  const permitted = routes.map((route) => scopesSatisfy("all-of", route.scopes, granted));
  const allowPatterns: string[] = [];
  const denyPatterns: string[] = [];
  let ambiguous = false;
  routes.forEach((route, b) => {
    if (permitted[b]) {
      allowPatterns.push(route.arnPattern);
      return;
    }
    if (!routes.some((_, a) => permitted[a] && overlaps[a]![b])) return;
    denyPatterns.push(route.arnPattern);
    if (routes.some((_, c) => permitted[c] && overlaps[b]![c])) ambiguous = true;
  });
  return Object.freeze({
    permitted: Object.freeze(permitted),
    allowPatterns: Object.freeze(allowPatterns),
    denyPatterns: Object.freeze(denyPatterns),
    ambiguous,
  });
}

/** The set of scopes in a `scope` claim (space separated, as Cognito writes it). */
export function grantedScopes(scopeClaim: string): ReadonlySet<string> {
  return new Set(scopeClaim.split(" ").filter((s) => s !== ""));
}

function statement(effect: "Allow" | "Deny", resources: readonly string[]): PolicyStatement {
  return Object.freeze({ Action: "execute-api:Invoke", Effect: effect, Resource: Object.freeze(resources) });
}

export class PolicyBuilder {
  private readonly grants = new Map<string, ScopeGrant>();
  private readonly allowPolicies = new Map<string, readonly PolicyStatement[]>();

  constructor(private readonly table: RouteTable) {}

  /** The grant for a scope claim, memoized: scope claims come from verified tokens only. */
  grant(scopeClaim: string): ScopeGrant {
    let grant = this.grants.get(scopeClaim);
    if (grant === undefined) {
      if (this.grants.size >= MAX_CACHED_GRANTS) this.grants.clear();
      grant = computeGrant(this.table, grantedScopes(scopeClaim));
      this.grants.set(scopeClaim, grant);
    }
    return grant;
  }

  /** Statements for an allowed call: frozen and shared between calls with the same claim. */
  allowStatements(prefix: string, scopeClaim: string, grant: ScopeGrant): readonly PolicyStatement[] {
    const key = `${prefix}\n${scopeClaim}`;
    let statements = this.allowPolicies.get(key);
    if (statements === undefined) {
      if (this.allowPolicies.size >= MAX_CACHED_GRANTS) this.allowPolicies.clear();
      statements = Object.freeze(this.statements(prefix, grant, [], "Allow"));
      this.allowPolicies.set(key, statements);
    }
    return statements;
  }

  /**
   * Statements for a denied call: the called method ARN is denied explicitly (it may be a
   * route this table does not know), and the token's Allow statements stay in, so a cached
   * Deny does not refuse its next call to a route it may call.
   */
  denyStatements(prefix: string, methodArn: string, grant: ScopeGrant): readonly PolicyStatement[] {
    return this.statements(prefix, grant, [methodArn], "Deny");
  }

  /** The first statement's effect is the decision for the called route (readers that look only there see it). */
  private statements(prefix: string, grant: ScopeGrant, extraDenies: readonly string[], first: "Allow" | "Deny"): PolicyStatement[] {
    const deny = [...extraDenies, ...grant.denyPatterns.map((p) => prefix + p)];
    const allow = grant.allowPatterns.map((p) => prefix + p);
    const statements: PolicyStatement[] = [];
    if (allow.length > 0) statements.push(statement("Allow", allow));
    if (deny.length > 0) statements[first === "Deny" ? "unshift" : "push"](statement("Deny", deny));
    return statements;
  }
}
