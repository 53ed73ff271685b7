/**
 * The scope-checker routes, compiled once per handler: validated, indexed for lookup by
 * `httpMethod` + `resource`, each with its IAM resource pattern (the `methodArn` tail with
 * path parameters as `*`), and the static "which route's pattern can match which route's
 * requests" relation the policy builder needs to stay correct under result caching.
 */
import { parsePath, segmentText, type PathSegment } from "../../model/paths";
import { globPattern, patternsIntersect, requestPattern, type Pattern } from "./arn-glob";
import { ScopeCheckerConfigError } from "./errors";

export interface RouteSpec {
  readonly method: string;
  readonly path: string;
  readonly scopes: readonly string[];
  /** Only clients bound to a certificate, over a connection presenting it. */
  readonly requireBoundCertificate?: boolean;
}

export interface CompiledRoute extends RouteSpec {
  /** The path as API Gateway names the resource (`/orders/{id}/` is `/orders/{id}`). */
  readonly path: string;
  /** `GET /orders/{id}` */
  readonly label: string;
  /** `GET/orders/*`: appended to the `arn:…:<api id>/<stage>/` prefix of the method ARN. */
  readonly arnPattern: string;
}

export interface RouteTable {
  readonly routes: readonly CompiledRoute[];
  /**
   * Whether route a's ARN pattern matches some request of route b (true for a === b).
   * Computed on first use and remembered: a token's first call pays for the pairs it needs,
   * and a cold start with a large table pays for none.
   */
  overlaps(a: number, b: number): boolean;
  /**
   * Like `overlaps`, with every `{param}` of route b allowed to hold `/`. API Gateway's
   * documentation does not say whether an encoded slash (`GET /orders/admin%2Fx`) is routed to
   * `/orders/{id}` with the DECODED value in methodArn (`GET/orders/admin/x`). If it is, a cached
   * Allow such as `*\/admin/*` (route `ANY /admin/{proxy+}`) matches that request, so the Deny
   * statements are computed with this test: safe either way (issue 15).
   */
  mayOverlap(a: number, b: number): boolean;
  /**
   * Whether the IAM resource pattern `glob` (a `METHOD/path` tail, `*` and `?` wildcards)
   * matches some request of route `b`. Not remembered: for the rare globs built per request.
   */
  globReaches(glob: string, b: number): boolean;
  /** Index of the route API Gateway invoked (exact method first, then ANY), or -1. */
  indexOf(httpMethod: unknown, resource: unknown): number;
}

const HTTP_METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"] as const;
const ROUTE_METHODS = new Set<string>([...HTTP_METHODS, "ANY"]);

/**
 * The path's segments, by the one path grammar of the project (model/paths.ts: API Gateway's
 * literal characters, whole `{param}` segments, a greedy `{param+}` only last).
 */
function parseSegments(field: string, path: unknown): PathSegment[] {
  if (typeof path !== "string") throw new ScopeCheckerConfigError(field, `path must be a string, got ${JSON.stringify(path)}`);
  const parsed = parsePath(path);
  if ("problem" in parsed) throw new ScopeCheckerConfigError(field, `path ${JSON.stringify(path)} ${parsed.problem}`);
  return parsed.segments;
}

function validateScopes(field: string, scopes: unknown): readonly string[] {
  if (!Array.isArray(scopes) || scopes.length === 0) throw new ScopeCheckerConfigError(field, "scopes must be a non-empty array");
  for (const scope of scopes) {
    if (typeof scope !== "string" || scope === "" || /\s/.test(scope)) {
      throw new ScopeCheckerConfigError(field, `scope ${JSON.stringify(scope)} must be a non-empty string without whitespace`);
    }
  }
  return Object.freeze([...scopes]);
}

export function compileRouteTable(specs: readonly RouteSpec[]): RouteTable {
  if (!Array.isArray(specs)) throw new ScopeCheckerConfigError("routes", "must be an array");
  /** resource path -> method (or ANY) -> route index: two lookups, no string building per request. */
  const byResource = new Map<string, Map<string, number>>();
  const routes: CompiledRoute[] = [];
  const requests: Pattern[] = [];
  const looseRequests: Pattern[] = [];
  const globs: Pattern[] = [];
  specs.forEach((spec, i) => {
    const field = `routes[${i}]`;
    if (typeof spec !== "object" || spec === null) throw new ScopeCheckerConfigError(field, "must be an object");
    if (typeof spec.method !== "string" || !ROUTE_METHODS.has(spec.method)) {
      throw new ScopeCheckerConfigError(field, `method must be one of ${[...ROUTE_METHODS].join(", ")}, got ${JSON.stringify(spec.method)}`);
    }
    const segments = parseSegments(field, spec.path);
    const scopes = validateScopes(field, spec.scopes);
    // Keyed by the resource path API Gateway puts in the event (`resource`), so `/a/` finds `/a`.
    const path = `/${segments.map(segmentText).join("/")}`;
    const key = `${spec.method} ${path}`;
    const methods = byResource.get(path) ?? new Map<string, number>();
    if (methods.has(spec.method)) throw new ScopeCheckerConfigError(field, `duplicate route ${key}`);
    methods.set(spec.method, i);
    byResource.set(path, methods);
    const pathPattern = segments.map((s) => (s.kind === "literal" ? s.text : "*")).join("/");
    const arnPattern = `${spec.method === "ANY" ? "*" : spec.method}/${pathPattern}`;
    routes.push(Object.freeze({ method: spec.method, path, scopes, label: key, arnPattern, ...(spec.requireBoundCertificate === true ? { requireBoundCertificate: true } : {}) }));
    requests.push(requestPattern(spec.method, segments));
    looseRequests.push(requestPattern(spec.method, segments, true));
    globs.push(globPattern(arnPattern));
  });
  const size = routes.length;
  const known = new Int8Array(size * size).fill(-1);
  const knownLoose = new Int8Array(size * size).fill(-1);
  return {
    routes: Object.freeze(routes),
    overlaps(a, b) {
      const cell = a * size + b;
      if (known[cell] === -1) known[cell] = a === b || patternsIntersect(globs[a]!, requests[b]!) ? 1 : 0;
      return known[cell] === 1;
    },
    mayOverlap(a, b) {
      const cell = a * size + b;
      if (knownLoose[cell] === -1) knownLoose[cell] = a === b || patternsIntersect(globs[a]!, looseRequests[b]!) ? 1 : 0;
      return knownLoose[cell] === 1;
    },
    globReaches(glob, b) {
      return patternsIntersect(globPattern(glob), requests[b]!);
    },
    indexOf(httpMethod, resource) {
      if (typeof httpMethod !== "string" || typeof resource !== "string") return -1;
      const methods = byResource.get(resource);
      return methods === undefined ? -1 : (methods.get(httpMethod) ?? methods.get("ANY") ?? -1);
    },
  };
}
