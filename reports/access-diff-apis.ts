/**
 * The access diff of a config with several APIs, grouped by API: for each API that changed, its
 * owners (the reviewers to ask), the grants of its scopes that changed, its routes and who gains
 * or loses which of them. CODEOWNERS assigns files, not APIs: a client granted scopes on API X
 * lives in the main config or in its sponsor team's file, so X's owners are not asked by GitHub.
 * Such a grant (the client's team is not X's) is a cross-team grant, and the diff names both
 * teams, so the reviewer knows whose approval the change needs.
 */
import type { M2MModel } from "../model/model-types";
import { grantLabel } from "../model/scope-grants";
import { byKey, diffAccess, edgePostureChanges, diffClients, diffRoutes, minus, sameSet, union, type AccessDiff, type ClientDiff, type ClientFacts, type EnvironmentDiff, type RouteDiff, type ClientAccessDiff } from "./access-diff";
import { modelPlatformAccess, type EnvironmentAccess, type PlatformAccess, type PlatformClientAccess } from "./environment-access";

/** The team a client belongs to: its sponsor API's, or the main config's (no sponsor). */
export interface ClientTeam {
  /** The sponsor API; absent: the main config. */
  readonly api?: string;
  readonly owners: readonly string[];
}

/** A change of the scopes one client holds on one API. */
export interface GrantChange {
  readonly client: string;
  /** `added`/`removed`: the client itself is new or gone; `changed`: only its grants on this API changed. */
  readonly clientStatus: "added" | "removed" | "changed";
  /** `<api>:<scope>`. */
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /**
   * Present when scopes of this API are granted (added) to a client of another team: a client
   * sponsored by another API, or one of the main config. Both teams must agree.
   */
  readonly crossTeam?: { readonly clientTeam: ClientTeam };
}

export interface ApiDiff {
  readonly api: string;
  readonly status: "added" | "removed" | "changed";
  /** The reviewers to ask: the API's owners (head's; base's for a removed API). */
  readonly owners: readonly string[];
  readonly sourceFile?: string;
  readonly invokeUrl?: { readonly before: string; readonly after: string };
  readonly resourceServerName?: { readonly before: string; readonly after: string };
  readonly scopesDefined: readonly string[];
  readonly scopesDeleted: readonly string[];
  readonly grants: readonly GrantChange[];
  readonly routes: readonly RouteDiff[];
  readonly access: readonly ClientAccessDiff[];
}

/** Grants as the several-API form writes them (`payments:read`), whichever form each side of the diff has. */
const label = (api: string, scope: string) => grantLabel({ api, scope }, "multi-api");

function teamOf(client: PlatformClientAccess, model: M2MModel): ClientTeam {
  if (client.sponsor === undefined) return { owners: model.owners };
  return { api: client.sponsor, owners: model.apis.find((a) => a.name === client.sponsor)?.owners ?? [] };
}

function diffGrants(api: string, base: EnvironmentAccess | undefined, head: EnvironmentAccess | undefined, basePlatform: PlatformAccess | undefined, headPlatform: PlatformAccess | undefined, headModel: M2MModel): GrantChange[] {
  const before = byKey(base?.clients ?? [], (c) => c.name);
  const after = byKey(head?.clients ?? [], (c) => c.name);
  const existedBefore = new Set(basePlatform?.clients.map((c) => c.name) ?? []);
  const headClients = byKey(headPlatform?.clients ?? [], (c) => c.name);
  const out: GrantChange[] = [];
  for (const name of union([...before.keys()], [...after.keys()])) {
    const was = before.get(name)?.scopes ?? [];
    const is = after.get(name)?.scopes ?? [];
    const added = minus(is, was).map((s) => label(api, s));
    const removed = minus(was, is).map((s) => label(api, s));
    if (added.length + removed.length === 0) continue;
    const headClient = headClients.get(name);
    const clientStatus = headClient === undefined ? "removed" : existedBefore.has(name) ? "changed" : "added";
    const team = headClient === undefined ? undefined : teamOf(headClient, headModel);
    const crossTeam = added.length > 0 && team !== undefined && team.api !== api;
    out.push({ client: name, clientStatus, added, removed, ...(crossTeam ? { crossTeam: { clientTeam: team } } : {}) });
  }
  return out;
}

function diffApi(
  name: string,
  base: { model: M2MModel; platform?: PlatformAccess; api?: EnvironmentAccess },
  head: { model: M2MModel; platform?: PlatformAccess; api?: EnvironmentAccess },
): ApiDiff | undefined {
  const [b, h] = [base.api, head.api];
  const headClients = new Map((head.platform?.clients ?? []).map((c) => [c.name, c]));
  const baseScopes = b?.scopes.map((s) => s.name) ?? [];
  const headScopes = h?.scopes.map((s) => s.name) ?? [];
  const grants = diffGrants(name, b, h, base.platform, head.platform, head.model);
  const routes = diffRoutes(b?.routes ?? [], h?.routes ?? []);
  const access = diffAccess(b, h, headClients);
  const invokeUrl = b && h && b.invokeUrlTemplate !== h.invokeUrlTemplate ? { before: b.invokeUrlTemplate, after: h.invokeUrlTemplate } : undefined;
  const resourceServerName = b && h && b.resourceServerName !== h.resourceServerName ? { before: b.resourceServerName, after: h.resourceServerName } : undefined;
  const scopesDefined = minus(headScopes, baseScopes);
  const scopesDeleted = minus(baseScopes, headScopes);
  const status = !b ? "added" : !h ? "removed" : "changed";
  const changes = grants.length + routes.length + access.length + scopesDefined.length + scopesDeleted.length + (invokeUrl ? 1 : 0) + (resourceServerName ? 1 : 0);
  if (status === "changed" && changes === 0) return undefined;
  const source = h ?? b!;
  return {
    api: name,
    status,
    owners: source.owners ?? [],
    ...(source.sourceFile === undefined ? {} : { sourceFile: source.sourceFile }),
    ...(invokeUrl ? { invokeUrl } : {}),
    ...(resourceServerName ? { resourceServerName } : {}),
    scopesDefined,
    scopesDeleted,
    grants,
    routes,
    access,
  };
}

/** A client across APIs as the diff compares it: its grants as `<api>:<scope>`, whatever the layout. */
function factsOf(platform: PlatformAccess | undefined): ClientFacts[] {
  if (platform === undefined) return [];
  const grants = new Map<string, string[]>();
  for (const api of platform.apis) for (const c of api.clients) grants.set(c.name, [...(grants.get(c.name) ?? []), ...c.scopes.map((s) => label(api.apiName, s))]);
  return platform.clients.map((c) => ({
    name: c.name,
    scopes: grants.get(c.name) ?? [],
    accessTokenValidity: c.accessTokenValidity,
    disabled: c.disabled,
    ...(c.usagePlan === undefined ? {} : { usagePlan: c.usagePlan }),
    ...(c.sponsor === undefined ? {} : { sponsor: c.sponsor }),
  }));
}

/** Client changes of their own (added, removed, cut off, validity, limits); grant changes are the APIs'. */
function clientChanges(base: PlatformAccess | undefined, head: PlatformAccess | undefined): ClientDiff[] {
  return diffClients(factsOf(base), factsOf(head))
    .filter((c) => c.kind !== "changed" || c.disabled || c.accessTokenValidity || c.limits)
    .map((c) => (c.kind === "changed" ? { ...c, scopesAdded: [], scopesRemoved: [] } : c));
}

function diffEnvironment(name: string, base: { model: M2MModel; platform?: PlatformAccess }, head: { model: M2MModel; platform?: PlatformAccess }): EnvironmentDiff {
  const b = base.platform;
  const h = head.platform;
  const endpoints = [
    ...(b && h && b.tokenEndpoint !== h.tokenEndpoint ? [{ what: "token endpoint" as const, before: b.tokenEndpoint, after: h.tokenEndpoint }] : []),
    ...(b && h ? edgePostureChanges(b.apis, h.apis) : []),
  ];
  const sourceIps = b && h && !sameSet(b.guards.allowedSourceIps, h.guards.allowedSourceIps) ? { before: b.guards.allowedSourceIps, after: h.guards.allowedSourceIps } : undefined;
  const baseApis = byKey(b?.apis ?? [], (a) => a.apiName);
  const headApis = byKey(h?.apis ?? [], (a) => a.apiName);
  const apis = union([...baseApis.keys()], [...headApis.keys()])
    .map((api) => diffApi(api, { ...base, api: baseApis.get(api) }, { ...head, api: headApis.get(api) }))
    .filter((d): d is ApiDiff => d !== undefined);
  const clients = clientChanges(b, h);
  const anything = endpoints.length + (sourceIps ? 1 : 0) + apis.length + clients.length > 0;
  const status = !b ? "added" : !h ? "removed" : anything ? "changed" : "unchanged";
  return { environment: name, status, endpoints, ...(sourceIps ? { sourceIps } : {}), apis, scopesDefined: [], scopesDeleted: [], clients, routes: [], access: [] };
}

export function diffApiModels(base: M2MModel, head: M2MModel): AccessDiff {
  const baseAccess = byKey(modelPlatformAccess(base), (p) => p.environment);
  const headAccess = byKey(modelPlatformAccess(head), (p) => p.environment);
  const names = union([...baseAccess.keys()], [...headAccess.keys()]);
  const environments = names.map((n) => diffEnvironment(n, { model: base, platform: baseAccess.get(n) }, { model: head, platform: headAccess.get(n) }));
  return { environments, changed: environments.some((e) => e.status !== "unchanged") };
}

/** Every owner the diff asks, with what they are asked about, in a stable order. */
export function reviewersOf(diff: AccessDiff): { readonly owner: string; readonly apis: readonly string[] }[] {
  const byOwner = new Map<string, Set<string>>();
  const ask = (owner: string, what: string) => byOwner.set(owner, (byOwner.get(owner) ?? new Set()).add(what));
  for (const env of diff.environments) {
    for (const api of env.apis ?? []) {
      for (const owner of api.owners) ask(owner, api.api);
      for (const grant of api.grants) {
        const team = grant.crossTeam?.clientTeam;
        if (team) for (const owner of team.owners) ask(owner, team.api === undefined ? "clients of the main config" : `clients of ${team.api}`);
      }
    }
  }
  return [...byOwner].map(([owner, apis]) => ({ owner, apis: [...apis] }));
}
