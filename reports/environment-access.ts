/**
 * Who may call what in one environment, as deployed: the data every report (Markdown, HTML,
 * JSON, OpenAPI, access diff) renders. The decisions come from model/access.ts, the same code
 * the constructs, the scope checker and the local environment use; nothing here re-derives them.
 */
import { decideRouteAccess, scopeCheckerAllowList, scopeMatchOf, type AccessDecision, type ScopeMatch } from "../model/access";
import { apisOf, grantLabel, scopesOn } from "../model/scope-grants";
import { customDomainApiUrl, invokeUrl, scopeIdentifier, tokenEndpointUrl } from "../model/aws-urls";
import { backendFunctionName } from "../model/backends";
import type { AuthorizerKind, HttpMethod } from "../model/config-types";
import type { EnvironmentKind } from "../model/config-types";
import type { Api, Client, Environment, M2MModel, ModelLayout, Route, Scope, Throttling, TokenValidity } from "../model/model-types";
import { describeLimits, usageMetering } from "../model/usage-plans";

/**
 * Stands for the REST API id in URLs and scope identifiers: AWS assigns it at the first
 * apply, so reports written before a deploy carry a template (`terraform output invoke_url`
 * gives the real value).
 */
export const REST_API_ID_PLACEHOLDER = "{restApiId}";

export interface ScopeAccess {
  readonly name: string;
  readonly description: string;
  /** `<invoke URL template>/<name>`: what a token carries and a method requires. */
  readonly identifier: string;
  /** Clients of this environment allowed to request the scope (disabled ones included). */
  readonly grantedTo: readonly string[];
}

/**
 * What serves a route, as reports show it: the mock's answer lives in `response`; a Lambda
 * handler of this repository names its file, export and the function it becomes; an existing
 * function its ARN; an HTTP backend its URL and timeout. Two routes with equal summaries are
 * served the same way, so the access diff compares these.
 */
export type BackendSummary =
  | { readonly type: "mock" }
  | { readonly type: "lambda"; readonly handler: string; readonly functionName: string; readonly memoryMb: number; readonly timeoutSeconds: number }
  | { readonly type: "lambda-arn"; readonly functionArn: string }
  | { readonly type: "http"; readonly url: string; readonly timeoutMs: number };

function backendSummary(api: Api, environment: Environment, route: Route): BackendSummary {
  const backend = route.backend;
  if (backend.type !== "lambda") return backend.type === "http" ? { type: "http", url: backend.url, timeoutMs: backend.timeoutMs } : { ...backend };
  const fn = api.backendFunctions.find((f) => f.key === backend.functionKey)!;
  return { type: "lambda", handler: `${fn.file}#${fn.exportName}`, functionName: backendFunctionName(api.name, environment.name, fn.key), memoryMb: fn.memoryMb, timeoutSeconds: fn.timeoutSeconds };
}

export interface RouteAccess {
  /** `GET /premium`: the route's identity in every report. */
  readonly id: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly key: string;
  readonly authorizer: AuthorizerKind;
  readonly scopeMatch: ScopeMatch;
  readonly scopes: readonly string[];
  readonly description?: string;
  readonly backend: BackendSummary;
  /** The mock integration's answer (meaningful when `backend.type` is `mock`). */
  readonly response: { readonly status: number; readonly body: unknown };
  /** The route's own throttling, or the stage's. */
  readonly throttling: Throttling;
  /** Clients allowed to call the route in this environment. */
  readonly allowedClients: readonly string[];
  /** Present (true) when the route requires the usage-plan key: a limited client can call it, so every call is counted. */
  readonly metered?: true;
}

/** The usage plan that counts a client's calls on metered routes (limited clients, and the unmetered plan's). */
export interface ClientUsagePlan {
  /** `tier-<tier>`, `client-<client>` or `unmetered`. */
  readonly plan: string;
  readonly tier?: string;
  readonly rateLimit?: number;
  readonly burstLimit?: number;
  readonly quota?: { readonly limit: number; readonly period: string };
  /** One line: `5 req/s, burst 10, 1000000 per MONTH (tier partner)`. */
  readonly summary: string;
}

export interface ClientAccess {
  readonly name: string;
  readonly description?: string;
  /** The names of its scopes on this API (what this API's authorizers see in its tokens). */
  readonly scopes: readonly string[];
  readonly accessTokenValidity: TokenValidity;
  readonly disabled: boolean;
  /** Ids of the routes this client may call. */
  readonly allowedRoutes: readonly string[];
  /** Present when the client's calls are counted by a usage plan. */
  readonly usagePlan?: ClientUsagePlan;
}

export interface AccessCell {
  readonly client: string;
  readonly route: string;
  readonly decision: AccessDecision;
}

/** What stands in front of every route, whoever the client: source-IP policy, WAF, throttling. */
export interface EnvironmentGuards {
  /** Empty: calls from any source IP. Otherwise the resource policy answers other sources 403. */
  readonly allowedSourceIps: readonly string[];
  /** Requests per source IP per 5 minutes before WAF answers 403; absent when WAF is off. */
  readonly wafRateLimitPer5Minutes?: number;
  /** Stage throttling; above it API Gateway answers 429. */
  readonly throttling: Throttling;
}

/**
 * One API's access in one environment. In the one-API form this is the whole report; with
 * several APIs each API has one (inside {@link PlatformAccess}), whose clients are those
 * granted a scope on it: a client with no grant on an API is denied every route of it, and
 * listing every client under every API would make a 1,000-client, 25-API report 25 times
 * larger for nothing.
 */
export interface EnvironmentAccess {
  readonly environment: string;
  readonly kind: EnvironmentKind;
  readonly region: string;
  readonly stageName: string;
  readonly apiName: string;
  readonly resourceServerName: string;
  /** Its owners (the several-API form only; the one-API form has none). */
  readonly owners?: readonly string[];
  /** Its team file, relative to the config's directory (an API of a team file only). */
  readonly sourceFile?: string;
  /**
   * Invoke URL with {@link REST_API_ID_PLACEHOLDER}, or with a custom domain its URL there
   * (`https://<domain>/<api>`, no placeholder); also the resource server identifier.
   */
  readonly invokeUrlTemplate: string;
  /** The partner edge, when the environment has a custom domain: what reviewers check (issue 24). */
  readonly edge?: EdgeAccess;
  readonly tokenEndpoint: string;
  readonly guards: EnvironmentGuards;
  /** Clients the scope checker accepts tokens of (others get 401 on its routes); empty without scope-checker routes. */
  readonly scopeCheckerAllowList: readonly string[];
  readonly scopes: readonly ScopeAccess[];
  readonly clients: readonly ClientAccess[];
  readonly routes: readonly RouteAccess[];
  /** One cell per client and route, clients in config order, routes in config order within each client. */
  readonly matrix: readonly AccessCell[];
}

/** Custom domains, mutual TLS and certificate bindings of an environment, as reports show them. */
export interface EdgeAccess {
  readonly apiDomainName: string;
  readonly tokenDomainName?: string;
  /** The truststore's CA files; absent: no mutual TLS. */
  readonly truststoreFiles?: readonly string[];
  /** Clients of this API bound to a certificate, with what they must present. */
  readonly boundClients: readonly { readonly client: string; readonly subject?: string; readonly sha256?: string }[];
  /** Routes only bound clients may call (`METHOD /path`). */
  readonly routesRequiringBoundCertificate: readonly string[];
}

export function routeId(route: { readonly method: string; readonly path: string }): string {
  return `${route.method} ${route.path}`;
}

/** Cells by client name, then route id. */
type CellIndex = ReadonlyMap<string, ReadonlyMap<string, AccessCell>>;

/**
 * The index of each access object's matrix. Kept beside the object, not in it: the object is
 * the access.json report as is, and a Map would serialize as `{}`. Every report looks cells up
 * by client and route (clients x routes lookups); scanning the matrix each time made a
 * 300-client, 100-route config take minutes.
 */
const CELL_INDEX = new WeakMap<EnvironmentAccess, CellIndex>();

function indexCells(matrix: readonly AccessCell[]): CellIndex {
  const index = new Map<string, Map<string, AccessCell>>();
  for (const cell of matrix) {
    let row = index.get(cell.client);
    if (row === undefined) index.set(cell.client, (row = new Map()));
    // The first cell wins, as `find` did; validated models have one cell per pair anyway.
    if (!row.has(cell.route)) row.set(cell.route, cell);
  }
  return index;
}

/**
 * The access of one API (the model's only one by default) in one environment of a validated
 * model. With several APIs its clients are those holding a scope on it, their scopes named as
 * on it.
 */
export function environmentAccess(model: M2MModel, environment: Environment, api: Api = model.apis[0]!): EnvironmentAccess {
  const domain = environment.customDomain;
  const template = domain ? customDomainApiUrl(domain.apiDomainName, api.name) : invokeUrl(REST_API_ID_PLACEHOLDER, environment.region, environment.stageName);
  // Each client's scope names on this API, read once (the filter, the scopes' grantees and the clients' rows all need them).
  const onApi = new Map(environment.clients.map((c) => [c.name, scopesOn(c.scopes, api.name)]));
  const clients = model.layout === "single-api" ? environment.clients : environment.clients.filter((c) => onApi.get(c.name)!.length > 0);
  const routes = api.routes;
  const routeIds = routes.map(routeId);
  const matrix: AccessCell[] = [];
  for (const client of clients) {
    routes.forEach((route, i) => matrix.push({ client: client.name, route: routeIds[i]!, decision: decideRouteAccess(client, route) }));
  }
  const index = indexCells(matrix);
  const allowed = (client: string, route: string): boolean => index.get(client)?.get(route)?.decision.allowed === true;
  const metering = usageMetering(clients, routes);
  const metered = new Set(metering.meteredRoutes.map((r) => r.key));
  const planOf = new Map<string, ClientUsagePlan>();
  for (const plan of metering.plans) {
    const { limits } = plan;
    const usagePlan: ClientUsagePlan = {
      plan: plan.name,
      ...(limits?.tier === undefined ? {} : { tier: limits.tier }),
      ...(limits === undefined ? {} : { rateLimit: limits.rateLimit, burstLimit: limits.burstLimit }),
      ...(limits?.quota === undefined ? {} : { quota: limits.quota }),
      summary: describeLimits(limits),
    };
    for (const c of plan.clients) planOf.set(c.name, usagePlan);
  }

  const access: EnvironmentAccess = {
    environment: environment.name,
    kind: environment.kind,
    region: environment.region,
    stageName: environment.stageName,
    apiName: api.name,
    resourceServerName: api.resourceServerName,
    ...(model.layout === "multi-api" ? { owners: api.owners } : {}),
    ...(api.sourceFile === undefined ? {} : { sourceFile: api.sourceFile }),
    invokeUrlTemplate: template,
    ...(domain
      ? {
          edge: {
            apiDomainName: domain.apiDomainName,
            ...(domain.tokenDomainName === undefined ? {} : { tokenDomainName: domain.tokenDomainName }),
            ...(environment.mtls ? { truststoreFiles: environment.mtls.truststoreFiles } : {}),
            boundClients: clients.filter((c) => c.certificate !== undefined).map((c) => ({ client: c.name, ...c.certificate })),
            routesRequiringBoundCertificate: routes.filter((r) => r.requireBoundCertificate).map(routeId),
          },
        }
      : {}),
    tokenEndpoint: tokenEndpointUrl(environment.domainPrefix, environment.region, domain?.tokenDomainName),
    guards: {
      allowedSourceIps: environment.allowedSourceIps,
      ...(environment.waf.enabled ? { wafRateLimitPer5Minutes: environment.waf.rateLimitPer5Minutes } : {}),
      throttling: environment.throttling,
    },
    scopeCheckerAllowList: scopeCheckerAllowList(clients, routes).map((c) => c.name),
    scopes: api.scopes.map((s: Scope) => ({
      name: s.name,
      description: s.description,
      identifier: scopeIdentifier(template, s.name),
      grantedTo: clients.filter((c) => onApi.get(c.name)!.includes(s.name)).map((c) => c.name),
    })),
    clients: clients.map((c: Client) => ({
      name: c.name,
      ...(c.description === undefined ? {} : { description: c.description }),
      scopes: onApi.get(c.name)!,
      accessTokenValidity: c.accessTokenValidity,
      disabled: c.disabled,
      allowedRoutes: routeIds.filter((r) => allowed(c.name, r)),
      ...(planOf.has(c.name) ? { usagePlan: planOf.get(c.name)! } : {}),
    })),
    routes: routes.map((r: Route, i) => ({
      id: routeIds[i]!,
      method: r.method,
      path: r.path,
      key: r.key,
      authorizer: r.authorizer,
      scopeMatch: scopeMatchOf(r.authorizer),
      scopes: r.scopes,
      ...(r.description === undefined ? {} : { description: r.description }),
      backend: backendSummary(api, environment, r),
      response: r.response,
      throttling: r.throttling ?? environment.throttling,
      allowedClients: clients.map((c) => c.name).filter((c) => allowed(c, routeIds[i]!)),
      ...(metered.has(r.key) ? { metered: true as const } : {}),
    })),
    matrix,
  };
  CELL_INDEX.set(access, index);
  return access;
}

/** The access of every environment of a one-API model, in config order (with several APIs: their first API's; see {@link platformAccess}). */
export function modelAccess(model: M2MModel): EnvironmentAccess[] {
  return model.environments.map((e) => environmentAccess(model, e));
}

/** A route's name across APIs: `payments POST /payments`. */
function qualifiedRouteId(api: string, route: string): string {
  return `${api} ${route}`;
}

/** A client seen across every API of an environment: what it is granted, and what it may call where. */
export interface PlatformClientAccess {
  readonly name: string;
  readonly description?: string;
  /** The API whose team sponsors it; absent for a client of the main config. */
  readonly sponsor?: string;
  /** Its grants as the config writes them (`payments:read`; the bare name in the one-API form). */
  readonly grants: readonly string[];
  /** The APIs it holds a scope on, in the order of its grants. */
  readonly apis: readonly string[];
  readonly accessTokenValidity: TokenValidity;
  readonly disabled: boolean;
  /** Its rate limit and quota in this environment; absent: unlimited (the stages' throttling only). */
  readonly usagePlan?: { readonly plan: string; readonly summary: string };
  /** The routes it may call, across APIs ({@link qualifiedRouteId}). */
  readonly mayCall: readonly string[];
}

/**
 * Every API of one environment and every client across them: the several-API form's access.json
 * and the central HTML view. One user pool (one token endpoint) serves every API.
 */
export interface PlatformAccess {
  readonly environment: string;
  readonly kind: EnvironmentKind;
  readonly region: string;
  readonly stageName: string;
  /** The authorization server's name. */
  readonly name: string;
  readonly layout: ModelLayout;
  /** Owners of the main config (and of clients no API's team sponsors). */
  readonly owners: readonly string[];
  readonly tokenEndpoint: string;
  readonly guards: EnvironmentGuards;
  readonly apis: readonly EnvironmentAccess[];
  readonly clients: readonly PlatformClientAccess[];
}

export function platformAccess(model: M2MModel, environment: Environment): PlatformAccess {
  const apis = model.apis.map((api) => environmentAccess(model, environment, api));
  // Per API, what each of its clients may call: a map, not a search per client (1,000 clients x 25 APIs).
  const allowedOn = apis.map((a) => new Map(a.clients.map((c) => [c.name, c.allowedRoutes])));
  const clients: PlatformClientAccess[] = environment.clients.map((c) => ({
    name: c.name,
    ...(c.description === undefined ? {} : { description: c.description }),
    ...(c.sponsor === undefined ? {} : { sponsor: c.sponsor }),
    grants: c.scopes.map((g) => grantLabel(g, model.layout)),
    apis: apisOf(c.scopes),
    accessTokenValidity: c.accessTokenValidity,
    disabled: c.disabled,
    ...(c.limits === undefined ? {} : { usagePlan: { plan: c.limits.plan, summary: describeLimits(c.limits) } }),
    mayCall: apis.flatMap((a, i) => (allowedOn[i]!.get(c.name) ?? []).map((r) => qualifiedRouteId(a.apiName, r))),
  }));
  return {
    environment: environment.name,
    kind: environment.kind,
    region: environment.region,
    stageName: environment.stageName,
    name: model.name,
    layout: model.layout,
    owners: model.owners,
    tokenEndpoint: tokenEndpointUrl(environment.domainPrefix, environment.region),
    guards: apis[0]?.guards ?? { allowedSourceIps: environment.allowedSourceIps, throttling: environment.throttling },
    apis,
    clients,
  };
}

/** {@link platformAccess} of every environment, in config order. */
export function modelPlatformAccess(model: M2MModel): PlatformAccess[] {
  return model.environments.map((e) => platformAccess(model, e));
}

/** The cell of one client and route; constant time (the matrix is indexed once per access object). */
export function cellOf(access: EnvironmentAccess, client: string, route: string): AccessCell | undefined {
  let index = CELL_INDEX.get(access);
  if (index === undefined) {
    // An access object built elsewhere (a test, JSON read back): index it on first use.
    index = indexCells(access.matrix);
    CELL_INDEX.set(access, index);
  }
  return index.get(client)?.get(route);
}
