/**
 * The Deny for the called request of a denied call. API Gateway caches the policy for the
 * token and evaluates it against later requests of every route, where `*` and `?` in a
 * resource are wildcards. Path parameter values can hold `*` and `?` themselves, so the
 * concrete method ARN, put in a Deny as is, can widen it over routes the token may call.
 * Each test evaluates the whole policy against requests of every route.
 */
import fc from "fast-check";
import { scopesSatisfy } from "../../model/access";
import { computeGrant, grantedScopes } from "../../lambdas/scope-checker/access-policy";
import { setDecisionLogSink } from "../../lambdas/scope-checker/decision-log";
import { compileRouteTable } from "../../lambdas/scope-checker/route-table";
import { createHandler } from "../../lambdas/scope-checker/scope-checker";
import { ARN_PREFIX, USER_POOL_ID, accessToken, authorizerEvent, generateSigningKey, jwksOf, policyAllows, scopeIds } from "./support/cognito-tokens";
import { RANDOM_SCOPE_NAMES, concreteRequests, requestPathsFor, routeTableArb, singleOwnerRequests } from "./support/random-route-tables";

const key = generateSigningKey("key-1");
const CLIENT = "deny0client0id000000000001";

let restoreSink: ReturnType<typeof setDecisionLogSink>;
beforeAll(() => {
  restoreSink = setDecisionLogSink(() => undefined);
});
afterAll(() => setDecisionLogSink(restoreSink));

// A token with s1 may read avatars but not the users they belong to: `GET/users/*` (route 0's
// pattern) also matches avatar requests, so it must never be the Deny for a call to route 0.
const ROUTES = [
  { method: "GET", path: "/users/{id}", scopes: [scopeIds("s2")] },
  { method: "GET", path: "/users/{id}/avatar", scopes: [scopeIds("s1")] },
  { method: "GET", path: "/files/{name}", scopes: [scopeIds("s2")] },
  { method: "ANY", path: "/docs/{path+}", scopes: [scopeIds("s1")] },
];
const PERMITTED_FOR_S1 = [false, true, false, true];
const handler = createHandler({ userPoolId: USER_POOL_ID, clientIds: null, routes: ROUTES, jwks: jwksOf(key) });
const s1 = accessToken(key, CLIENT, scopeIds("s1"));
const VALUES = ["1", "a", "*", "a*", "a?b", "1*avatar", "avatar"];
const requests = concreteRequests(ROUTES, (path) => requestPathsFor(path.replace(/\{[a-z]+\}/, "{p}").replace(/\{[a-z]+\+\}/, "{rest+}"), VALUES, ["1", "1/avatar", "*", "a*/b"]));

async function deniedCall(resource: string, path: string) {
  const event = authorizerEvent({ method: "GET", resource, path, headers: { Authorization: `Bearer ${s1}` } });
  const result = await handler(event);
  // The called request is refused, every request of every other route decided as the scopes say.
  expect(policyAllows(result.policyDocument, event.methodArn)).toBe(false);
  for (const request of requests) {
    if (policyAllows(result.policyDocument, request.methodArn) !== PERMITTED_FOR_S1[request.route]) {
      throw new Error(`after GET ${path}: ${request.methodArn} allowed=${!PERMITTED_FOR_S1[request.route]}`);
    }
  }
  return result.policyDocument.Statement;
}

describe("a denied call's Deny keeps the cached policy exact", () => {
  it("has requests of every route to check against, values with wildcards among them", () => {
    expect(new Set(requests.map((r) => r.route))).toEqual(new Set([0, 1, 2, 3]));
    expect(requests.some((r) => r.methodArn.endsWith("GET/users/1/avatar"))).toBe(true);
  });

  it("uses the route's pattern when it reaches no permitted route, whatever the value holds", async () => {
    for (const value of ["x", "*", "a*", "?"]) {
      const [deny] = await deniedCall("/files/{name}", `/files/${value}`);
      expect(deny).toEqual({ Action: "execute-api:Invoke", Effect: "Deny", Resource: [`${ARN_PREFIX}GET/files/*`] });
    }
  });

  it("uses the method ARN when the route's pattern would reach a permitted route and the ARN has no wildcard", async () => {
    const [deny] = await deniedCall("/users/{id}", "/users/7");
    // GET/files/*: the grant's own Deny, since `*/docs/*` could match GET /files/x%2Fdocs%2Fy (a value holding a decoded slash).
    expect(deny).toEqual({ Action: "execute-api:Invoke", Effect: "Deny", Resource: [`${ARN_PREFIX}GET/users/7`, `${ARN_PREFIX}GET/files/*`] });
  });

  it("spells `*` and `?` of the value as `?` there (GET/users/* would refuse GET /users/1/avatar)", async () => {
    const [deny] = await deniedCall("/users/{id}", "/users/*");
    expect(deny).toEqual({ Action: "execute-api:Invoke", Effect: "Deny", Resource: [`${ARN_PREFIX}GET/users/?`, `${ARN_PREFIX}GET/files/*`] });
    const [denyAgain] = await deniedCall("/users/{id}", "/users/a?b");
    expect(denyAgain!.Resource).toEqual([`${ARN_PREFIX}GET/users/a?b`, `${ARN_PREFIX}GET/files/*`]);
  });

  it("leaves the request to the implicit deny when even that would reach a permitted route", async () => {
    // `GET/users/1?avatar` matches `GET/users/1/avatar`; nothing allows `GET/users/1*avatar` anyway.
    const statements = await deniedCall("/users/{id}", "/users/1*avatar");
    expect(statements).toEqual([
      { Action: "execute-api:Invoke", Effect: "Deny", Resource: [`${ARN_PREFIX}GET/files/*`] },
      { Action: "execute-api:Invoke", Effect: "Allow", Resource: [`${ARN_PREFIX}GET/users/*/avatar`, `${ARN_PREFIX}*/docs/*`] },
    ]);
  });

  it("denies a route the table does not know by its method ARN, wildcards spelled `?`", async () => {
    const event = authorizerEvent({ method: "GET", resource: "/unknown/{x}", path: "/unknown/*", headers: { Authorization: s1 } });
    const [deny] = (await handler(event)).policyDocument.Statement;
    expect(deny).toEqual({ Action: "execute-api:Invoke", Effect: "Deny", Resource: [`${ARN_PREFIX}GET/unknown/?`, `${ARN_PREFIX}GET/files/*`] });
  });
});

describe("random route tables and random parameter values (property)", () => {
  const tokens = new Map<string, string>();
  for (let mask = 0; mask < 8; mask++) {
    const names = RANDOM_SCOPE_NAMES.filter((_, bit) => mask & (1 << bit));
    tokens.set(names.join(" "), accessToken(key, CLIENT, scopeIds(...names)));
  }
  // Values never spell the literals `a` and `b`: API Gateway routes such a request to the literal
  // route, so it is never a request of the parameter route, neither as called nor as checked.
  const valueArb = fc.string({ unit: fc.constantFrom("x", "*", "?"), minLength: 1, maxLength: 3 });
  const greedyValueArb = fc.string({ unit: fc.constantFrom("x", "*", "?", "/"), minLength: 1, maxLength: 4 }).filter((v) => !v.startsWith("/") && !v.endsWith("/") && !v.includes("//"));
  const checkedPaths = (path: string) => requestPathsFor(path, ["x", "y"], ["x", "y/x", "x/a", "x/a/b"]);

  it("the Deny for the called request never refuses a permitted request, nor grants the called one", async () => {
    await fc.assert(
      fc.asyncProperty(routeTableArb, fc.subarray([...RANDOM_SCOPE_NAMES]), fc.nat(), fc.array(valueArb, { minLength: 4, maxLength: 4 }), greedyValueArb, async (routes, names, pick, values, greedy) => {
        const granted = new Set(names.map((n) => scopeIds(n)));
        const permitted = routes.map((r) => scopesSatisfy("all-of", r.scopes, granted));
        const denied = routes.map((_, i) => i).filter((i) => !permitted[i]);
        fc.pre(denied.length > 0);
        const called = routes[denied[pick % denied.length]!]!;
        let path = called.path;
        for (const value of values) path = path.replace("{p}", value);
        path = path.replace("{rest+}", greedy);
        const handler = createHandler({ userPoolId: USER_POOL_ID, clientIds: null, routes, jwks: jwksOf(key) });
        const event = authorizerEvent({ method: called.method === "ANY" ? "PUT" : called.method, resource: called.path, path, headers: { Authorization: tokens.get(names.join(" "))! } });
        const policy = (await handler(event)).policyDocument;
        if (policyAllows(policy, event.methodArn)) return false;
        // Inexact Deny patterns of the grant itself are a separate, flagged matter (policy-coverage.test.ts).
        if (computeGrant(compileRouteTable(routes), granted).ambiguous) return true;
        for (const request of singleOwnerRequests(concreteRequests(routes, checkedPaths))) {
          if (policyAllows(policy, request.methodArn) !== permitted[request.route]) return false;
        }
        return true;
      }),
      {
        numRuns: 500,
        examples: [
          // `GET/*` (the ARN of GET /*) also matches `GET/`: a permitted root route.
          [[{ method: "GET", path: "/{p}", scopes: [scopeIds("s3")] }, { method: "GET", path: "/", scopes: [scopeIds("s1")] }], ["s1"], 0, ["*", "x", "x", "x"], "x"],
          // `GET/a/*` (the ARN of GET /a/*) also matches `GET/a/x/b`.
          [[{ method: "GET", path: "/a/{p}", scopes: [scopeIds("s2")] }, { method: "GET", path: "/a/{p}/b", scopes: [scopeIds("s1")] }], ["s1"], 0, ["*", "x", "x", "x"], "x"],
        ],
      },
    );
  });
});

it("the grant of the table above is exact (so the tests above test only the called request's Deny)", () => {
  expect(computeGrant(compileRouteTable(ROUTES), grantedScopes(scopeIds("s1"))).ambiguous).toBe(false);
});
