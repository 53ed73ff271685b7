/**
 * The access diff: what changes between two validated models (the config at a base ref and
 * the working tree), per environment. Pure data in, pure data out: `renderAccessDiffMarkdown`
 * turns it into the PR comment, and tests build it from fixtures without git.
 */
import type { AccessDecision, ScopeMatch } from "../model/access";
import type { AuthorizerKind } from "../model/config-types";
import type { M2MModel, TokenValidity } from "../model/model-types";
import { diffApiModels, type ApiDiff } from "./access-diff-apis";
import { cellOf, modelAccess, type BackendSummary, type EnvironmentAccess, type RouteAccess } from "./environment-access";

const MOCK: BackendSummary = { type: "mock" };

export interface ValueChange<T> {
  readonly before: T;
  readonly after: T;
}

/** What the diff knows of a client: one API's view of it (one-API form) or its view across APIs (scopes = grants). */
export interface ClientFacts {
  readonly name: string;
  readonly scopes: readonly string[];
  readonly accessTokenValidity: TokenValidity;
  readonly disabled: boolean;
  readonly usagePlan?: { readonly plan: string; readonly summary: string };
  /** The API whose team sponsors it (several APIs only). */
  readonly sponsor?: string;
}

export type ClientDiff =
  | { readonly kind: "added"; readonly name: string; readonly client: ClientFacts }
  | { readonly kind: "removed"; readonly name: string; readonly client: ClientFacts }
  | {
      readonly kind: "changed";
      readonly name: string;
      readonly scopesAdded: readonly string[];
      readonly scopesRemoved: readonly string[];
      /** `before: false, after: true` = cut off; the reverse = re-enabled. */
      readonly disabled?: ValueChange<boolean>;
      readonly accessTokenValidity?: ValueChange<TokenValidity>;
      /** The client's rate limit and quota (usage plan summary; absent = not in a plan): a contract change. */
      readonly limits?: ValueChange<string | undefined>;
    };

export type RouteDiff =
  | { readonly kind: "added"; readonly id: string; readonly route: RouteAccess }
  | { readonly kind: "removed"; readonly id: string; readonly route: RouteAccess }
  | {
      readonly kind: "changed";
      readonly id: string;
      readonly scopes?: ValueChange<readonly string[]>;
      readonly authorizer?: ValueChange<AuthorizerKind>;
      /** What serves the route changed (a mock's answer is not compared). */
      readonly backend?: ValueChange<BackendSummary>;
    };

/** Why a client no longer reaches a route it reached before. */
export type LossCause =
  | { readonly kind: "client-removed" }
  | { readonly kind: "route-removed" }
  | { readonly kind: "denied"; readonly decision: Extract<AccessDecision, { allowed: false }>; readonly match: ScopeMatch };

export interface ClientAccessDiff {
  readonly client: string;
  /** Route ids the client may call now and could not before. */
  readonly gained: readonly string[];
  readonly lost: readonly { readonly route: string; readonly cause: LossCause }[];
}

export interface EnvironmentDiff {
  readonly environment: string;
  /**
   * The several-API form: the changes of each API that changed (its owners are the reviewers to
   * ask). Then `clients` says what changed of the clients themselves (added, removed, cut off,
   * token validity, limits; `scopes` are their grants), and the per-API fields above the APIs'
   * (`scopesDefined`, `routes`, `access`) stay empty: each API's are in its entry.
   */
  readonly apis?: readonly ApiDiff[];
  readonly status: "added" | "removed" | "changed" | "unchanged";
  /** Endpoints and the partner edge's posture (mutual TLS, certificate bindings) that changed. */
  readonly endpoints: readonly { readonly what: EndpointChange; readonly before: string; readonly after: string }[];
  /** The source-IP allow-list in front of every route (empty: any source). */
  readonly sourceIps?: ValueChange<readonly string[]>;
  /** Scopes defined on the resource server. */
  readonly scopesDefined: readonly string[];
  readonly scopesDeleted: readonly string[];
  readonly clients: readonly ClientDiff[];
  readonly routes: readonly RouteDiff[];
  readonly access: readonly ClientAccessDiff[];
}

export interface AccessDiff {
  readonly environments: readonly EnvironmentDiff[];
  readonly changed: boolean;
}

/*
 * Every lookup below goes through a Set or a Map: a config with hundreds of clients and routes
 * compares clients x routes cells, and a linear search per cell made that quadratic (minutes).
 */

/** Names present in either list: `after`'s order first, then those only in `before`. */
export function union(before: readonly string[], after: readonly string[]): string[] {
  const inAfter = new Set(after);
  return [...after, ...before.filter((x) => !inAfter.has(x))];
}

export function minus(a: readonly string[], b: readonly string[]): string[] {
  const inB = new Set(b);
  return a.filter((x) => !inB.has(x));
}

export function byKey<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  // The first item wins for a repeated key, as `find` would.
  const map = new Map<string, T>();
  for (const item of items) if (!map.has(key(item))) map.set(key(item), item);
  return map;
}

export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && minus(a, b).length === 0 && minus(b, a).length === 0;
}

export function diffClients(base: readonly ClientFacts[], head: readonly ClientFacts[]): ClientDiff[] {
  const out: ClientDiff[] = [];
  const baseByName = byKey(base, (c) => c.name);
  const headByName = byKey(head, (c) => c.name);
  for (const name of union(base.map((c) => c.name), head.map((c) => c.name))) {
    const before = baseByName.get(name);
    const after = headByName.get(name);
    if (!before) out.push({ kind: "added", name, client: after! });
    else if (!after) out.push({ kind: "removed", name, client: before });
    else {
      const scopesAdded = minus(after.scopes, before.scopes);
      const scopesRemoved = minus(before.scopes, after.scopes);
      const disabled = before.disabled !== after.disabled ? { before: before.disabled, after: after.disabled } : undefined;
      const validityChanged =
        before.accessTokenValidity.value !== after.accessTokenValidity.value || before.accessTokenValidity.unit !== after.accessTokenValidity.unit;
      const limitsBefore = before.usagePlan && `${before.usagePlan.summary} [${before.usagePlan.plan}]`;
      const limitsAfter = after.usagePlan && `${after.usagePlan.summary} [${after.usagePlan.plan}]`;
      const limits = limitsBefore !== limitsAfter ? { before: limitsBefore, after: limitsAfter } : undefined;
      if (scopesAdded.length + scopesRemoved.length === 0 && !disabled && !validityChanged && !limits) continue;
      out.push({
        kind: "changed",
        name,
        scopesAdded,
        scopesRemoved,
        ...(disabled ? { disabled } : {}),
        ...(validityChanged ? { accessTokenValidity: { before: before.accessTokenValidity, after: after.accessTokenValidity } } : {}),
        ...(limits ? { limits } : {}),
      });
    }
  }
  return out;
}

export function diffRoutes(base: readonly RouteAccess[], head: readonly RouteAccess[]): RouteDiff[] {
  const out: RouteDiff[] = [];
  const baseById = byKey(base, (r) => r.id);
  const headById = byKey(head, (r) => r.id);
  for (const id of union(base.map((r) => r.id), head.map((r) => r.id))) {
    const before = baseById.get(id);
    const after = headById.get(id);
    if (!before) out.push({ kind: "added", id, route: after! });
    else if (!after) out.push({ kind: "removed", id, route: before });
    else {
      // Scope order means nothing to either authorizer: compare as sets.
      const scopes = sameSet(before.scopes, after.scopes) ? undefined : { before: before.scopes, after: after.scopes };
      const authorizer = before.authorizer === after.authorizer ? undefined : { before: before.authorizer, after: after.authorizer };
      // Older access.json files have no backend: they were all mocks.
      const [was, is] = [before.backend ?? MOCK, after.backend ?? MOCK];
      const backend = JSON.stringify(was) === JSON.stringify(is) ? undefined : { before: was, after: is };
      if (scopes || authorizer || backend) out.push({ kind: "changed", id, ...(scopes ? { scopes } : {}), ...(authorizer ? { authorizer } : {}), ...(backend ? { backend } : {}) });
    }
  }
  return out;
}

/**
 * Who gains and loses which route. `headClients`: the clients that exist in head (by name, and
 * whether cut off); by default those of `head` itself. With several APIs an API's access lists
 * only the clients holding its scopes, so a client that leaves it still exists: it lost its scopes.
 */
export function diffAccess(
  base: EnvironmentAccess | undefined,
  head: EnvironmentAccess | undefined,
  headClients: ReadonlyMap<string, { readonly disabled: boolean }> = new Map((head?.clients ?? []).map((c) => [c.name, c])),
): ClientAccessDiff[] {
  const clients = union(base?.clients.map((c) => c.name) ?? [], head?.clients.map((c) => c.name) ?? []);
  const routes = union(base?.routes.map((r) => r.id) ?? [], head?.routes.map((r) => r.id) ?? []);
  const headRoutes = byKey(head?.routes ?? [], (r) => r.id);
  const out: ClientAccessDiff[] = [];
  for (const client of clients) {
    const gained: string[] = [];
    const lost: { route: string; cause: LossCause }[] = [];
    for (const route of routes) {
      const before = base ? cellOf(base, client, route) : undefined;
      const after = head ? cellOf(head, client, route) : undefined;
      const wasAllowed = before?.decision.allowed === true;
      const isAllowed = after?.decision.allowed === true;
      if (!wasAllowed && isAllowed) gained.push(route);
      if (wasAllowed && !isAllowed) {
        const headRoute = headRoutes.get(route);
        if (!headClients.has(client)) lost.push({ route, cause: { kind: "client-removed" } });
        else if (!headRoute) lost.push({ route, cause: { kind: "route-removed" } });
        else {
          // No cell: the client holds no scope on this API any more.
          const decision = (after?.decision ?? (headClients.get(client)!.disabled ? { allowed: false, reason: "client-disabled" } : { allowed: false, reason: "missing-scope", missing: headRoute.scopes })) as Extract<AccessDecision, { allowed: false }>;
          lost.push({ route, cause: { kind: "denied", decision, match: headRoute.scopeMatch } });
        }
      }
    }
    if (gained.length + lost.length > 0) out.push({ client, gained, lost });
  }
  return out;
}

/**
 * The partner edge's posture that changed between two environments (all of each one's APIs):
 * mutual TLS on or off (and from which CA files), and which clients are bound to which certificate.
 */
export function edgePostureChanges(base: readonly EnvironmentAccess[], head: readonly EnvironmentAccess[]): { what: EndpointChange; before: string; after: string }[] {
  const mtls = (apis: readonly EnvironmentAccess[]) => {
    const files = apis.find((a) => a.edge?.truststoreFiles)?.edge?.truststoreFiles;
    return files ? `on (${files.join(", ")})` : "off";
  };
  const bindings = (apis: readonly EnvironmentAccess[]) =>
    [...new Set(apis.flatMap((a) => (a.edge?.boundClients ?? []).map((b) => `${b.client}=${[b.subject, b.sha256].filter(Boolean).join("/")}`)))].sort().join("; ") || "none";
  const out: { what: EndpointChange; before: string; after: string }[] = [];
  if (mtls(base) !== mtls(head)) out.push({ what: "mutual TLS", before: mtls(base), after: mtls(head) });
  if (bindings(base) !== bindings(head)) out.push({ what: "certificate bindings", before: bindings(base), after: bindings(head) });
  return out;
}

export type EndpointChange = "token endpoint" | "invoke URL" | "mutual TLS" | "certificate bindings";

function diffEnvironment(name: string, base: EnvironmentAccess | undefined, head: EnvironmentAccess | undefined): EnvironmentDiff {
  const endpoints: { what: EndpointChange; before: string; after: string }[] = [];
  if (base && head) {
    if (base.tokenEndpoint !== head.tokenEndpoint) endpoints.push({ what: "token endpoint", before: base.tokenEndpoint, after: head.tokenEndpoint });
    if (base.invokeUrlTemplate !== head.invokeUrlTemplate) endpoints.push({ what: "invoke URL", before: base.invokeUrlTemplate, after: head.invokeUrlTemplate });
    endpoints.push(...edgePostureChanges([base], [head]));
  }
  const sourceIps =
    base && head && !sameSet(base.guards.allowedSourceIps, head.guards.allowedSourceIps)
      ? { before: base.guards.allowedSourceIps, after: head.guards.allowedSourceIps }
      : undefined;
  const baseScopes = base?.scopes.map((s) => s.name) ?? [];
  const headScopes = head?.scopes.map((s) => s.name) ?? [];
  const clients = diffClients(base?.clients ?? [], head?.clients ?? []);
  const routes = diffRoutes(base?.routes ?? [], head?.routes ?? []);
  const access = diffAccess(base, head);
  const scopesDefined = minus(headScopes, baseScopes);
  const scopesDeleted = minus(baseScopes, headScopes);
  const anything = (sourceIps ? 1 : 0) + endpoints.length + scopesDefined.length + scopesDeleted.length + clients.length + routes.length + access.length > 0;
  const status = !base ? "added" : !head ? "removed" : anything ? "changed" : "unchanged";
  return { environment: name, status, endpoints, ...(sourceIps ? { sourceIps } : {}), scopesDefined, scopesDeleted, clients, routes, access };
}

/**
 * The change from `base` to `head`, environment by environment (head's order, then removed
 * ones). When either side holds several APIs the changes are grouped by API ({@link EnvironmentDiff.apis}).
 */
export function diffModels(base: M2MModel, head: M2MModel): AccessDiff {
  if (base.layout === "multi-api" || head.layout === "multi-api") return diffApiModels(base, head);
  const baseAccess = modelAccess(base);
  const headAccess = modelAccess(head);
  const names = union(baseAccess.map((e) => e.environment), headAccess.map((e) => e.environment));
  const baseByName = byKey(baseAccess, (e) => e.environment);
  const headByName = byKey(headAccess, (e) => e.environment);
  const environments = names.map((n) => diffEnvironment(n, baseByName.get(n), headByName.get(n)));
  return { environments, changed: environments.some((e) => e.status !== "unchanged") };
}
