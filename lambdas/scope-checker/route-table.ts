/**
 * The scope-checker routes, compiled once per handler: validated, indexed for lookup by
 * `httpMethod` + `resource`, each with its IAM resource pattern (the `methodArn` tail with
 * path parameters as `*`), and the static "which route's pattern can match which route's
 * requests" relation the policy builder needs to stay correct under result caching.
 */
import { globPattern, patternsIntersect, requestPattern, type Pattern, type RequestSegment } from "./arn-glob";
import { ScopeCheckerConfigError } from "./errors";

export interface RouteSpec {
  readonly method: string;
  readonly path: string;
  readonly scopes: readonly string[];
}

export interface CompiledRoute extends RouteSpec {
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
  /** Index of the route API Gateway invoked (exact method first, then ANY), or -1. */
  indexOf(httpMethod: unknown, resource: unknown): number;
}

const HTTP_METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"] as const;
const ROUTE_METHODS = new Set<string>([...HTTP_METHODS, "ANY"]);
const PARAMETER = /^\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}$/;
const LITERAL = /^[A-Za-z0-9._~:@!$&'()*+,;=-]+$/;

function parseSegments(field: string, path: string): RequestSegment[] {
  if (typeof path !== "string" || !path.startsWith("/")) throw new ScopeCheckerConfigError(field, `path must start with "/", got ${JSON.stringify(path)}`);
  if (path === "/") return [];
  const parts = path.slice(1).split("/");
  return parts.map((part, i) => {
    const parameter = PARAMETER.exec(part);
    if (parameter) {
      const greedy = parameter[2] === "+";
      if (greedy && i !== parts.length - 1) throw new ScopeCheckerConfigError(field, `greedy segment "${part}" must be last in ${path}`);
      return { kind: "parameter", greedy };
    }
    if (!LITERAL.test(part)) throw new ScopeCheckerConfigError(field, `segment ${JSON.stringify(part)} of ${path} is not a literal or {param}`);
    return { kind: "literal", text: part };
  });
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
  const globs: Pattern[] = [];
  specs.forEach((spec, i) => {
    const field = `routes[${i}]`;
    if (typeof spec !== "object" || spec === null) throw new ScopeCheckerConfigError(field, "must be an object");
    if (typeof spec.method !== "string" || !ROUTE_METHODS.has(spec.method)) {
      throw new ScopeCheckerConfigError(field, `method must be one of ${[...ROUTE_METHODS].join(", ")}, got ${JSON.stringify(spec.method)}`);
    }
    const segments = parseSegments(field, spec.path);
    const scopes = validateScopes(field, spec.scopes);
    const key = `${spec.method} ${spec.path}`;
    const methods = byResource.get(spec.path) ?? new Map<string, number>();
    if (methods.has(spec.method)) throw new ScopeCheckerConfigError(field, `duplicate route ${key}`);
    methods.set(spec.method, i);
    byResource.set(spec.path, methods);
    const pathPattern = segments.map((s) => (s.kind === "literal" ? s.text : "*")).join("/");
    const arnPattern = `${spec.method === "ANY" ? "*" : spec.method}/${pathPattern}`;
    routes.push(Object.freeze({ method: spec.method, path: spec.path, scopes, label: key, arnPattern }));
    requests.push(requestPattern(spec.method, segments));
    globs.push(globPattern(arnPattern));
  });
  const size = routes.length;
  const known = new Int8Array(size * size).fill(-1);
  return {
    routes: Object.freeze(routes),
    overlaps(a, b) {
      const cell = a * size + b;
      if (known[cell] === -1) known[cell] = a === b || patternsIntersect(globs[a]!, requests[b]!) ? 1 : 0;
      return known[cell] === 1;
    },
    indexOf(httpMethod, resource) {
      if (typeof httpMethod !== "string" || typeof resource !== "string") return -1;
      const methods = byResource.get(resource);
      return methods === undefined ? -1 : (methods.get(httpMethod) ?? methods.get("ANY") ?? -1);
    },
  };
}
