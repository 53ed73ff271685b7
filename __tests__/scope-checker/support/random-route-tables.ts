/**
 * Random scope-checker route tables (fast-check) over a tiny alphabet, so literals, path
 * parameters and greedy parameters collide often, and the concrete requests of a table: what
 * the policy tests evaluate cached policies against.
 */
import fc from "fast-check";
import { ARN_PREFIX, scopeIds } from "./cognito-tokens";
import { HTTP_METHODS } from "./test-routes";

export const RANDOM_SCOPE_NAMES = ["s1", "s2", "s3"] as const;

export interface RandomRoute {
  readonly method: string;
  readonly path: string;
  /** Full scope identifiers, as createHandler takes them. */
  readonly scopes: string[];
}

const segment = fc.constantFrom("a", "b", "{p}", "{p}", "{rest+}");
const routeArb = fc.record({
  method: fc.constantFrom("GET", "POST", "ANY"),
  segments: fc.array(segment, { minLength: 0, maxLength: 4 }),
  scopes: fc.subarray([...RANDOM_SCOPE_NAMES], { minLength: 1 }),
});

/** 2 to 6 distinct routes; a greedy segment only last (as API Gateway requires). */
export const routeTableArb: fc.Arbitrary<RandomRoute[]> = fc
  .uniqueArray(routeArb, { minLength: 2, maxLength: 6, selector: (r) => `${r.method} ${r.segments.join("/")}` })
  .map((routes) =>
    routes
      .filter((r) => !r.segments.slice(0, -1).includes("{rest+}"))
      .map((r) => ({ method: r.method, path: `/${r.segments.join("/")}`, scopes: r.scopes.map((s) => scopeIds(s)) })),
  )
  .filter((routes) => routes.length >= 2 && new Set(routes.map((r) => `${r.method} ${r.path}`)).size === routes.length);

/** Every request path of a random route with `{p}` from `single` and `{rest+}` from `greedy`. */
export function requestPathsFor(path: string, single: readonly string[] = ["a", "b", "x"], greedy: readonly string[] = ["a", "x", "a/b", "b/a/b"]): string[] {
  let paths = [path];
  while (paths.some((p) => p.includes("{p}"))) paths = paths.flatMap((p) => (p.includes("{p}") ? single.map((v) => p.replace("{p}", v)) : [p]));
  return paths.flatMap((p) => (p.includes("{rest+}") ? greedy.map((v) => p.replace("{rest+}", v)) : [p]));
}

export interface ConcreteRequest {
  readonly route: number;
  readonly methodArn: string;
}

/** The method ARNs of each route's requests (every method for ANY). */
export function concreteRequests(routes: readonly { method: string; path: string }[], pathsOf: (path: string) => string[]): ConcreteRequest[] {
  return routes.flatMap((route, index) =>
    (route.method === "ANY" ? HTTP_METHODS : [route.method]).flatMap((method) =>
      pathsOf(route.path).map((path) => ({ route: index, methodArn: `${ARN_PREFIX}${method}${path}` })),
    ),
  );
}

/** Requests that only one route serves: the ones with one right answer. */
export function singleOwnerRequests(requests: readonly ConcreteRequest[]): ConcreteRequest[] {
  const owners = new Map<string, Set<number>>();
  for (const r of requests) owners.set(r.methodArn, (owners.get(r.methodArn) ?? new Set()).add(r.route));
  return requests.filter((r) => owners.get(r.methodArn)!.size === 1);
}
