/**
 * A policy API Gateway caches for a token is reused on every route the token calls next.
 * These tests evaluate returned policies (with an IAM matcher written in the test) against
 * concrete requests of *every* route and compare with what the token's scopes permit
 * (scopesSatisfy, all-of, over the route table), whichever route the first call went to.
 */
import fc from "fast-check";
import { scopesSatisfy } from "../../model/access";
import { computeGrant, grantedScopes } from "../../lambdas/scope-checker/access-policy";
import { setDecisionLogSink } from "../../lambdas/scope-checker/decision-log";
import { compileRouteTable } from "../../lambdas/scope-checker/route-table";
import { createHandler } from "../../lambdas/scope-checker/scope-checker";
import { ARN_PREFIX, USER_POOL_ID, accessToken, authorizerEvent, concretePath, generateSigningKey, jwksOf, policyAllows, scopeIds } from "./support/cognito-tokens";
import { RANDOM_SCOPE_NAMES, concreteRequests, requestPathsFor, routeTableArb, singleOwnerRequests } from "./support/random-route-tables";
import { SCOPE_NAMES, TEST_ROUTES, requestPathsOf } from "./support/test-routes";

const key = generateSigningKey("key-1");
const CLIENT = "coverage0client0000000000001";

let restoreSink: ReturnType<typeof setDecisionLogSink>;
beforeAll(() => {
  restoreSink = setDecisionLogSink(() => undefined);
});
afterAll(() => setDecisionLogSink(restoreSink));

describe("the route table of the tests", () => {
  const handler = createHandler({ userPoolId: USER_POOL_ID, clientIds: [CLIENT], routes: TEST_ROUTES, jwks: jwksOf(key) });
  const requests = concreteRequests(TEST_ROUTES, requestPathsOf);

  it("has concrete requests that each belong to exactly one route", () => {
    expect(new Set(requests.map((r) => r.methodArn)).size).toBe(requests.length);
    expect(requests.length).toBeGreaterThan(40);
  });

  // Every combination of the scopes: 2^8 tokens.
  const scopeSets = Array.from({ length: 2 ** SCOPE_NAMES.length }, (_, mask) => SCOPE_NAMES.filter((_, bit) => mask & (1 << bit)));

  it("policies allow exactly the routes the token's scopes permit, whichever route was called first", async () => {
    let allows = 0;
    let denies = 0;
    for (const names of scopeSets) {
      const token = accessToken(key, CLIENT, scopeIds(...names));
      const granted = new Set(names.map((n) => scopeIds(n)));
      const permitted = TEST_ROUTES.map((route) => scopesSatisfy("all-of", route.scopes, granted));
      for (const [called, route] of TEST_ROUTES.entries()) {
        const method = route.method === "ANY" ? "PATCH" : route.method;
        const event = authorizerEvent({ method, resource: route.path, path: concretePath(route.path), headers: { Authorization: `Bearer ${token}` } });
        const result = await handler(event);
        expect(result.policyDocument.Statement[0]!.Effect).toBe(permitted[called] ? "Allow" : "Deny");
        if (permitted[called]) allows += 1;
        else denies += 1;
        for (const request of requests) {
          const allowed = policyAllows(result.policyDocument, request.methodArn);
          if (allowed !== permitted[request.route]) {
            throw new Error(`scopes [${names.join(" ")}], first call ${route.method} ${route.path}: ${request.methodArn} allowed=${allowed}`);
          }
        }
      }
    }
    // Both outcomes were exercised many times.
    expect(allows).toBeGreaterThan(200);
    expect(denies).toBeGreaterThan(200);
  });

  it("lists every permitted route, including those reached only through a path parameter", async () => {
    const token = accessToken(key, CLIENT, scopeIds("orders.read", "orders.list", "admin"));
    const result = await handler(authorizerEvent({ method: "GET", resource: "/orders", headers: { Authorization: token } }));
    expect(result.policyDocument.Statement).toEqual([
      {
        Action: "execute-api:Invoke",
        Effect: "Allow",
        Resource: [`${ARN_PREFIX}GET/orders`, `${ARN_PREFIX}GET/orders/*`, `${ARN_PREFIX}*/admin/*`],
      },
      // `GET/orders/*` and `*/admin/*` would also match GET /orders/{id}/refunds, which needs refunds.read;
      // `*/admin/*` would match DELETE /orders/admin%2Fx too, should API Gateway put the decoded value in methodArn.
      { Action: "execute-api:Invoke", Effect: "Deny", Resource: [`${ARN_PREFIX}DELETE/orders/*`, `${ARN_PREFIX}GET/orders/*/refunds`] },
    ]);
  });
});

describe("a route table where no exact policy exists", () => {
  // Allowing GET/a/* needs Deny GET/a/*/b, and that pattern also matches GET /a/{x}/b/{y} with y = "b".
  const routes = [
    { method: "GET", path: "/a/{x}", scopes: [scopeIds("s1")] },
    { method: "GET", path: "/a/{x}/b", scopes: [scopeIds("s2")] },
    { method: "GET", path: "/a/{x}/b/{y}", scopes: [scopeIds("s1")] },
  ];

  it("is flagged, and the policy errs towards 403, never towards granting", async () => {
    const grant = computeGrant(compileRouteTable(routes), grantedScopes(scopeIds("s1")));
    expect(grant.ambiguous).toBe(true);
    const handler = createHandler({ userPoolId: USER_POOL_ID, clientIds: null, routes, jwks: jwksOf(key) });
    const token = accessToken(key, CLIENT, scopeIds("s1"));
    const result = await handler(authorizerEvent({ method: "GET", resource: "/a/{x}", headers: { Authorization: token } }));
    expect(policyAllows(result.policyDocument, `${ARN_PREFIX}GET/a/1`)).toBe(true);
    expect(policyAllows(result.policyDocument, `${ARN_PREFIX}GET/a/1/b`)).toBe(false);
    expect(policyAllows(result.policyDocument, `${ARN_PREFIX}GET/a/1/b/2`)).toBe(true);
    expect(policyAllows(result.policyDocument, `${ARN_PREFIX}GET/a/1/b/b`)).toBe(false);
  });
});

describe("random route tables (property)", () => {
  const tokens = new Map<string, string>();
  for (let mask = 0; mask < 8; mask++) {
    const names = RANDOM_SCOPE_NAMES.filter((_, bit) => mask & (1 << bit));
    tokens.set(names.join(" "), accessToken(key, CLIENT, scopeIds(...names)));
  }
  const valuesFor = (path: string) => requestPathsFor(path);

  it("never grant a route the scopes do not permit, and are exact unless flagged ambiguous", async () => {
    await fc.assert(
      fc.asyncProperty(routeTableArb, fc.subarray([...RANDOM_SCOPE_NAMES]), fc.nat(), async (routes, names, pick) => {
        const handler = createHandler({ userPoolId: USER_POOL_ID, clientIds: null, routes, jwks: jwksOf(key) });
        const granted = new Set(names.map((n) => scopeIds(n)));
        const permitted = routes.map((r) => scopesSatisfy("all-of", r.scopes, granted));
        const ambiguous = computeGrant(compileRouteTable(routes), granted).ambiguous;
        const called = routes[pick % routes.length]!;
        const event = authorizerEvent({
          method: called.method === "ANY" ? "PUT" : called.method,
          resource: called.path,
          path: valuesFor(called.path)[0]!,
          headers: { Authorization: tokens.get(names.join(" "))! },
        });
        const result = await handler(event);
        // Only requests that a single route can serve have an unambiguous expected answer.
        for (const request of singleOwnerRequests(concreteRequests(routes, valuesFor))) {
          const allowed = policyAllows(result.policyDocument, request.methodArn);
          if (allowed && !permitted[request.route]) return false;
          if (!ambiguous && allowed !== permitted[request.route]) return false;
        }
        return true;
      }),
      { numRuns: 150 },
    );
  });
});

describe("path parameters that may hold an encoded slash (issue 15)", () => {
  // API Gateway's documentation does not settle whether `GET /orders/admin%2Fx` reaches
  // `GET /orders/{id}` with the decoded `GET/orders/admin/x` in methodArn. If it does, a policy
  // cached for a token that may call `ANY /admin/{proxy+}` (Allow `*/admin/*`) matches it.
  const routes = [
    { method: "ANY", path: "/admin/{proxy+}", scopes: [scopeIds("admin")] },
    { method: "GET", path: "/orders/{id}", scopes: [scopeIds("orders.read")] },
  ];
  const handler = createHandler({ userPoolId: USER_POOL_ID, clientIds: [CLIENT], routes, jwks: jwksOf(key) });
  const token = accessToken(key, CLIENT, scopeIds("admin"));

  it("a token cached for ANY /admin/{proxy+} cannot reach GET /orders/{id} with admin%2Fx-style values", async () => {
    const cached = (await handler(authorizerEvent({ method: "PUT", resource: "/admin/{proxy+}", path: "/admin/users/7", headers: { Authorization: `Bearer ${token}` } }))).policyDocument;
    for (const value of ["admin/x", "a/admin/b", "x/y/admin/z"]) expect([value, policyAllows(cached, `${ARN_PREFIX}GET/orders/${value}`)]).toEqual([value, false]);
    expect(policyAllows(cached, `${ARN_PREFIX}PUT/admin/users/7`)).toBe(true);
    expect(policyAllows(cached, `${ARN_PREFIX}GET/admin/a/b`)).toBe(true);
  });

  it("the old model (a {param} never holds `/`) left that request allowed", () => {
    // The Allow alone, as computed before: no Deny for GET /orders/{id}.
    const allowOnly = { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: [`${ARN_PREFIX}*/admin/*`] }] };
    expect(policyAllows(allowOnly, `${ARN_PREFIX}GET/orders/admin/x`)).toBe(true);
    const grant = computeGrant(compileRouteTable(routes), grantedScopes(scopeIds("admin")));
    expect(grant.denyPatterns).toEqual(["GET/orders/*"]);
    expect([grant.ambiguous, grant.encodedSlashResidual]).toEqual([false, false]);
  });

  it("leaves a Deny out, and says so, when it would refuse every request of a permitted child route", () => {
    const nested = [
      { method: "GET", path: "/orders/{id}", scopes: [scopeIds("orders.read")] },
      { method: "GET", path: "/orders/{id}/refunds", scopes: [scopeIds("refunds.read")] },
    ];
    const grant = computeGrant(compileRouteTable(nested), grantedScopes(scopeIds("refunds.read")));
    // Deny GET/orders/* would refuse GET /orders/7/refunds itself; the request left through has a refunds request's method ARN.
    expect(grant.denyPatterns).toEqual([]);
    expect(grant.encodedSlashResidual).toBe(true);
  });
});
