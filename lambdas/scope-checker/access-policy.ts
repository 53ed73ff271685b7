/**
 * Policies that stay right when API Gateway caches them. With result caching on, the policy
 * returned for one request is reused, for the same token, on *every* scope-checker route,
 * so it must describe everything the token may and may not call, not just the called route:
 *  - Allow: the ARN pattern of each route whose scopes the token holds *all* of;
 *  - Deny: each route it may not call that an Allow pattern would still match (`*` spans `/`,
 *    so `GET/orders/*` also matches `GET/orders/7/refunds`), counting a `{param}` as possibly
 *    holding a decoded `/` (`GET /orders/admin%2Fx`); an explicit Deny wins over Allow.
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
  /**
   * Some denied `{param}` route is reachable only through a parameter value holding an encoded
   * slash, with a method ARN equal to a permitted route's request, so no Deny can refuse it
   * without refusing that route (see computeGrant). Left to the route's backend: docs/threat-model.md.
   */
  readonly encodedSlashResidual: boolean;
}

/** Bound of each memo (scope claims, API/stage prefixes); a service sees a handful of each. */
const MAX_CACHED_GRANTS = 512;

export function computeGrant(table: RouteTable, granted: ReadonlySet<string>): ScopeGrant {
  const { routes } = table;
  const permitted = routes.map((route) => scopesSatisfy("all-of", route.scopes, granted));
  const allowPatterns: string[] = [];
  const denyPatterns: string[] = [];
  let ambiguous = false;
  let encodedSlashResidual = false;
  routes.forEach((route, b) => {
    if (permitted[b]) {
      allowPatterns.push(route.arnPattern);
      return;
    }
    const reached = routes.some((_, a) => permitted[a] && table.overlaps(a, b));
    // A `{param}` may hold a decoded `/` (RouteTable.mayOverlap): `*/admin/*` may then match
    // `GET /orders/admin%2Fx` of `GET /orders/{id}`. Denied too, unless that Deny would refuse
    // ordinary requests of a permitted route: for `GET /orders/{id}/refunds` permitted and
    // `GET /orders/{id}` not, `GET/orders/*` would refuse every refunds call, while the request
    // left through is `GET /orders/<x>%2Frefunds` only, whose method ARN IS a refunds request's.
    const reachedThroughSlash = !reached && routes.some((_, a) => permitted[a] && table.mayOverlap(a, b));
    if (!reached && !reachedThroughSlash) return;
    const refusesPermitted = routes.some((_, c) => permitted[c] && table.overlaps(b, c));
    if (reachedThroughSlash && refusesPermitted) {
      encodedSlashResidual = true;
      return;
    }
    denyPatterns.push(route.arnPattern);
    if (refusesPermitted) ambiguous = true;
  });
  return Object.freeze({
    permitted: Object.freeze(permitted),
    allowPatterns: Object.freeze(allowPatterns),
    denyPatterns: Object.freeze(denyPatterns),
    ambiguous,
    encodedSlashResidual,
  });
}

/** The set of scopes in a `scope` claim (space separated, as Cognito writes it). */
export function grantedScopes(scopeClaim: string): ReadonlySet<string> {
  return new Set(scopeClaim.split(" ").filter((s) => s !== ""));
}

function statement(effect: "Allow" | "Deny", resources: readonly string[]): PolicyStatement {
  return Object.freeze({ Action: "execute-api:Invoke", Effect: effect, Resource: Object.freeze(resources) });
}

const WILDCARDS = /[*?]/;
const EACH_WILDCARD = /[*?]/g;

/** The policies of one scope claim: its grant, and its Allow statements per API/stage prefix. */
export class ScopePolicy {
  private readonly allowByPrefix = new Map<string, readonly PolicyStatement[]>();
  /** Per route: 1 when its ARN pattern matches no request of a permitted route, 0 when it does, -1 not yet known. */
  private readonly patternIsSafeDeny: Int8Array;

  constructor(
    readonly grant: ScopeGrant,
    private readonly table: RouteTable,
  ) {
    this.patternIsSafeDeny = new Int8Array(table.routes.length).fill(-1);
  }

  /** Statements for an allowed call: frozen and shared between calls (one API/stage in practice). */
  allow(prefix: string): readonly PolicyStatement[] {
    let statements = this.allowByPrefix.get(prefix);
    if (statements === undefined) {
      if (this.allowByPrefix.size >= MAX_CACHED_GRANTS) this.allowByPrefix.clear();
      statements = Object.freeze(this.statements(prefix, undefined, "Allow"));
      this.allowByPrefix.set(prefix, statements);
    }
    return statements;
  }

  /**
   * Statements for a denied call to route `called` (-1: a route this table does not know): the
   * called request is denied explicitly, first, and the token's Allow statements stay in, so a
   * cached Deny does not refuse its next call to a route it may call.
   */
  deny(prefix: string, called: number, methodArn: string): readonly PolicyStatement[] {
    return this.statements(prefix, this.calledDenyResource(prefix, called, methodArn), "Deny");
  }

  /**
   * The resource that denies the called request. It must match that request and no request of
   * a route the token may call, or the cached policy would refuse those for the cache's
   * lifetime. Path parameter values may hold `*` and `?`, which a resource cannot escape, so
   * the concrete method ARN is not always safe. In order of preference:
   *  1. the called route's pattern (parameters as `*`, like the Allow patterns), when it
   *     matches no permitted route's request: exact for all of the route's requests;
   *  2. the method ARN, when it holds no `*` or `?`: it matches only itself;
   *  3. the method ARN with each `*` and `?` written `?` (one character), when that matches no
   *     permitted route's request, or when the route is unknown (then no other statement
   *     keeps the request denied; a refusal too many is the safe side);
   *  4. none: the request is still denied, because computeGrant put the route's pattern in
   *     the Deny for every Allow pattern that matches any of its requests. The first
   *     statement may then be an Allow that does not match the called request.
   */
  private calledDenyResource(prefix: string, called: number, methodArn: string): string | undefined {
    const { routes } = this.table;
    if (called >= 0 && this.isSafeDeny(called)) return prefix + routes[called]!.arnPattern;
    const tail = methodArn.slice(prefix.length);
    if (!WILDCARDS.test(tail)) return methodArn;
    const glob = tail.replace(EACH_WILDCARD, "?");
    if (called < 0 || !routes.some((_, c) => this.grant.permitted[c] && this.table.globReaches(glob, c))) return prefix + glob;
    return undefined;
  }

  private isSafeDeny(route: number): boolean {
    if (this.patternIsSafeDeny[route] === -1) {
      const { permitted } = this.grant;
      this.patternIsSafeDeny[route] = permitted.some((ok, c) => ok && this.table.overlaps(route, c)) ? 0 : 1;
    }
    return this.patternIsSafeDeny[route] === 1;
  }

  /** The first statement's effect is the decision for the called route (readers that look only there see it; see case 4 above). */
  private statements(prefix: string, calledDeny: string | undefined, first: "Allow" | "Deny"): PolicyStatement[] {
    const deny = this.grant.denyPatterns.map((p) => prefix + p);
    if (calledDeny !== undefined && !deny.includes(calledDeny)) deny.unshift(calledDeny);
    const allow = this.grant.allowPatterns.map((p) => prefix + p);
    const statements: PolicyStatement[] = [];
    if (allow.length > 0) statements.push(statement("Allow", allow));
    if (deny.length > 0) statements[first === "Deny" ? "unshift" : "push"](statement("Deny", deny));
    return statements;
  }
}

/** Policies per scope claim, memoized: claims come from verified tokens only, and are few. */
export class PolicyBuilder {
  private readonly byScope = new Map<string, ScopePolicy>();
  private lastClaim: string | undefined;
  private lastPolicy: ScopePolicy | undefined;

  constructor(private readonly table: RouteTable) {}

  forScope(scopeClaim: string): ScopePolicy {
    // A warm Lambda mostly sees the same few clients: compare with the last claim before hashing it.
    if (scopeClaim === this.lastClaim && this.lastPolicy !== undefined) return this.lastPolicy;
    let policy = this.byScope.get(scopeClaim);
    if (policy === undefined) {
      if (this.byScope.size >= MAX_CACHED_GRANTS) this.byScope.clear();
      policy = new ScopePolicy(computeGrant(this.table, grantedScopes(scopeClaim)), this.table);
      this.byScope.set(scopeClaim, policy);
    }
    this.lastClaim = scopeClaim;
    this.lastPolicy = policy;
    return policy;
  }
}
