/**
 * The line `m2m call` adds to a 401 or 403: what the token carried against what the route needs,
 * or why the token itself was refused. Tokens here are unsigned: the explanation reads the claims
 * of a token the API has already judged, and never verifies (nor prints) it.
 */
import { explainRefusal, type CalledRoute, type Refusal } from "../../client/refusal";

const CONTENT = "http://127.0.0.1:4011/dev";
const PAYMENTS = "http://127.0.0.1:4012/dev";
const jwt = (claims: Record<string, unknown>) => `e30.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;
const NOW = 1_800_000_000;

const route: CalledRoute = { api: "payments", method: "GET", path: "/payments/{id}", scopes: ["read"], authorizer: "cognito" };
const base: Refusal = {
  status: 401,
  body: '{"message":"Unauthorized"}',
  method: "GET",
  path: "/payments/p-1",
  token: jwt({ scope: `${PAYMENTS}/read`, exp: NOW + 600 }),
  caller: { apis: [{ name: "content", url: CONTENT, resourceServerIdentifier: CONTENT }, { name: "payments", url: PAYMENTS, resourceServerIdentifier: PAYMENTS }], scopes: [`${PAYMENTS}/read`] },
  client: "billing",
  route,
  nowSeconds: NOW,
};

test("a token with the route's scope, expired: says so, with the time", () => {
  expect(explainRefusal({ ...base, token: jwt({ scope: `${PAYMENTS}/read`, exp: NOW - 1 }) })).toBe(
    `refused: the token expired at ${new Date((NOW - 1) * 1000).toISOString()}; run the call again for a new one`,
  );
});

test("a live token with the route's scope: the token itself was refused", () => {
  expect(explainRefusal(base)).toBe(
    "refused: the token carries what GET /payments/{id} on payments needs (payments:read), so the token itself was refused: not issued by this environment's user pool (an offline environment restarted since?) or expired by the API's clock",
  );
});

test("a scope-checker route adds the allow-list as a cause", () => {
  expect(explainRefusal({ ...base, route: { ...route, authorizer: "scope-checker" } })).toMatch(/, or the scope checker does not allow this client on the API \(disabled in this environment\?\)$/);
});

test("any of several scopes on a native route: lists them as alternatives, and the one the client may ask for", () => {
  const narrowed = { ...base, token: jwt({ scope: `${CONTENT}/read`, exp: NOW + 600 }), route: { ...route, scopes: ["read", "write"] } };
  expect(explainRefusal(narrowed)).toBe(
    'refused: GET /payments/{id} on payments needs one of payments:read, payments:write; the token carries content:read; client "billing" may request payments:read: call without --scope, or add --scope payments:read',
  );
  expect(explainRefusal({ ...narrowed, caller: { ...base.caller, scopes: [`${CONTENT}/read`] } })).toBe(
    'refused: GET /payments/{id} on payments needs one of payments:read, payments:write; the token carries content:read; client "billing" holds content:read: grant payments:read or payments:write in the config (clients[].scopes), or call as a client that holds it',
  );
});

test("the config cannot tell the route's scopes: the token's scopes, and why", () => {
  expect(explainRefusal({ ...base, route: { unknown: "m2m.config.ts could not be read" } })).toBe(
    "refused (HTTP 401): the token carries payments:read; which scopes GET /payments/p-1 needs is unknown (m2m.config.ts could not be read)",
  );
});

test("statuses other than 401 and 403 are not explained", () => {
  expect(explainRefusal({ ...base, status: 500 })).toBeUndefined();
  expect(explainRefusal({ ...base, status: 200 })).toBeUndefined();
});

test("API Gateway's 403 for an unknown route: the API's routes, or the API that has it", () => {
  const missing = { ...base, status: 403, body: '{"message":"Missing Authentication Token"}', method: "GET", path: "/nope" };
  const payments = { name: "payments", url: PAYMENTS, resourceServerIdentifier: PAYMENTS, routes: ["POST /payments", "GET /payments/{id}"] };
  const content = { name: "content", url: CONTENT, resourceServerIdentifier: CONTENT, routes: ["GET /premium"] };
  expect(explainRefusal({ ...missing, caller: { apis: [content, payments], api: payments } })).toBe(
    'no route GET /nope on payments: API Gateway answers an unknown method or path with 403 "Missing Authentication Token" (routes: POST /payments, GET /payments/{id})',
  );
  expect(explainRefusal({ ...missing, path: "/premium", caller: { apis: [content, payments], api: payments } })).toBe(
    'no route GET /premium on payments: API Gateway answers an unknown method or path with 403 "Missing Authentication Token"; it is a route of content: call with --api content',
  );
});
