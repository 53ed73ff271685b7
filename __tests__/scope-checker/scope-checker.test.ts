import { createHandler } from "../../lambdas/scope-checker/scope-checker";
import { ScopeCheckerConfigError } from "../../lambdas/scope-checker/errors";
import {
  ARN_PREFIX,
  REGION,
  USER_POOL_ID,
  accessToken,
  authorizerEvent,
  captureConsole,
  generateSigningKey,
  jwksOf,
  policyAllows,
  scopeIds,
  signJwt,
  accessTokenClaims,
} from "./support/cognito-tokens";
import { TEST_ROUTES } from "./support/test-routes";

const key = generateSigningKey("key-1");
const BILLING = "billing0client0id0000000001";
const READER = "reader00client0id0000000002";
const handler = createHandler({ userPoolId: USER_POOL_ID, clientIds: [BILLING, READER], routes: TEST_ROUTES, jwks: jwksOf(key) });
const payments = { method: "POST", resource: "/payments" };
const paymentsToken = accessToken(key, BILLING, scopeIds("payments.read", "payments.write"));

let logs: ReturnType<typeof captureConsole>;
beforeEach(() => {
  logs = captureConsole();
});
afterEach(() => logs.restore());

describe("a valid access token", () => {
  it("is allowed on a route whose scopes it holds all of, with every route it may call in the policy", async () => {
    const token = accessToken(key, BILLING, scopeIds("payments.read", "payments.write", "hello"));
    const result = await handler(authorizerEvent({ ...payments, headers: { Authorization: `Bearer ${token}` } }));
    expect(result.principalId).toBe(BILLING);
    expect(result.context).toEqual({ clientId: BILLING, scope: scopeIds("payments.read", "payments.write", "hello") });
    expect(result.policyDocument.Version).toBe("2012-10-17");
    expect(result.policyDocument.Statement).toEqual([
      { Action: "execute-api:Invoke", Effect: "Allow", Resource: [`${ARN_PREFIX}POST/payments`, `${ARN_PREFIX}GET/`] },
    ]);
  });

  it("puts only strings in the context (API Gateway accepts string, number, boolean)", async () => {
    const result = await handler(authorizerEvent({ ...payments, headers: { Authorization: `Bearer ${paymentsToken}` } }));
    for (const value of Object.values(result.context)) expect(typeof value).toBe("string");
  });

  it.each([
    ["Bearer scheme", "Authorization", (t: string) => `Bearer ${t}`],
    ["lower-case scheme", "Authorization", (t: string) => `bearer ${t}`],
    ["upper-case scheme", "Authorization", (t: string) => `BEARER ${t}`],
    ["bare JWT", "Authorization", (t: string) => t],
    ["lower-case header name", "authorization", (t: string) => `Bearer ${t}`],
    ["upper-case header name", "AUTHORIZATION", (t: string) => `Bearer ${t}`],
    ["surrounding and inner white space", "Authorization", (t: string) => `  Bearer \t ${t}  `],
  ])("is read from the header: %s", async (_name, header, value) => {
    const result = await handler(authorizerEvent({ ...payments, headers: { Host: "example.com", [header]: value(paymentsToken) } }));
    expect(result.policyDocument.Statement[0]!.Effect).toBe("Allow");
  });

  it("is accepted with Cognito's global issuer format", async () => {
    const token = accessToken(key, BILLING, scopeIds("payments.read", "payments.write"), {
      iss: `https://issuer-cognito-idp.${REGION}.amazonaws.com/${USER_POOL_ID}`,
    });
    const result = await handler(authorizerEvent({ ...payments, headers: { Authorization: `Bearer ${token}` } }));
    expect(result.policyDocument.Statement[0]!.Effect).toBe("Allow");
  });

  it("without one of the route's scopes gets a Deny for the called ARN and keeps its Allows (403, cache-safe)", async () => {
    const token = accessToken(key, BILLING, scopeIds("payments.read", "hello"));
    const event = authorizerEvent({ ...payments, headers: { Authorization: `Bearer ${token}` } });
    const result = await handler(event);
    expect(result.principalId).toBe(BILLING);
    const [first, second] = result.policyDocument.Statement;
    expect(first).toEqual({ Action: "execute-api:Invoke", Effect: "Deny", Resource: [event.methodArn] });
    expect(second).toEqual({ Action: "execute-api:Invoke", Effect: "Allow", Resource: [`${ARN_PREFIX}GET/`] });
    expect(policyAllows(result.policyDocument, event.methodArn)).toBe(false);
    expect(policyAllows(result.policyDocument, `${ARN_PREFIX}GET/`)).toBe(true);
  });

  it("calling a route the checker does not know gets a Deny", async () => {
    const event = authorizerEvent({ method: "GET", resource: "/unknown", headers: { Authorization: `Bearer ${paymentsToken}` } });
    const result = await handler(event);
    expect(result.policyDocument.Statement[0]).toEqual({ Action: "execute-api:Invoke", Effect: "Deny", Resource: [event.methodArn] });
    expect(policyAllows(result.policyDocument, event.methodArn)).toBe(false);
    expect(JSON.parse(logs.lines[0]!)).toMatchObject({ decision: "deny", reason: "unknown-route" });
  });

  it("matches an ANY route for every method", async () => {
    const admin = accessToken(key, READER, scopeIds("admin"));
    for (const method of ["GET", "POST", "DELETE"]) {
      const event = authorizerEvent({ method, resource: "/admin/{proxy+}", path: "/admin/a/b", headers: { Authorization: admin } });
      const result = await handler(event);
      expect(result.policyDocument.Statement[0]!.Effect).toBe("Allow");
      expect(policyAllows(result.policyDocument, event.methodArn)).toBe(true);
    }
  });

  it("prefers a route's exact method over ANY on the same path, in the decision and in the policy", async () => {
    const scoped = createHandler({
      userPoolId: USER_POOL_ID,
      clientIds: null,
      routes: [
        { method: "ANY", path: "/things", scopes: scopeIds("any").split(" ") },
        { method: "GET", path: "/things", scopes: scopeIds("get").split(" ") },
      ],
      jwks: jwksOf(key),
    });
    const anyOnly = accessToken(key, READER, scopeIds("any"));
    const get = authorizerEvent({ method: "GET", resource: "/things", headers: { Authorization: anyOnly } });
    const post = authorizerEvent({ method: "POST", resource: "/things", headers: { Authorization: anyOnly } });
    const onGet = await scoped(get);
    expect(onGet.policyDocument.Statement[0]!.Effect).toBe("Deny");
    const onPost = await scoped(post);
    expect(onPost.policyDocument.Statement[0]!.Effect).toBe("Allow");
    // The cached Allow for `*/things` must not open GET /things, which needs another scope.
    expect(policyAllows(onPost.policyDocument, get.methodArn)).toBe(false);
    expect(policyAllows(onPost.policyDocument, post.methodArn)).toBe(true);
  });
});

describe("client allow-list", () => {
  it("null accepts any client of the pool", async () => {
    const open = createHandler({ userPoolId: USER_POOL_ID, clientIds: null, routes: TEST_ROUTES, jwks: jwksOf(key) });
    const token = accessToken(key, "some0other0client0000000003", scopeIds("payments.read", "payments.write"));
    const result = await open(authorizerEvent({ ...payments, headers: { Authorization: token } }));
    expect(result.principalId).toBe("some0other0client0000000003");
  });

  it("an empty list refuses every client", async () => {
    const closed = createHandler({ userPoolId: USER_POOL_ID, clientIds: [], routes: TEST_ROUTES, jwks: jwksOf(key) });
    await expect(closed(authorizerEvent({ ...payments, headers: { Authorization: paymentsToken } }))).rejects.toThrow(/^Unauthorized$/);
    expect(JSON.parse(logs.lines[0]!)).toMatchObject({ decision: "unauthorized", reason: "client-not-allowed", clientId: BILLING });
  });

  it("a client cut off from the list: its 401 line names the client (verified), never the token", async () => {
    const cutOff = "cut0off0client0id0000000003";
    const token = accessToken(key, cutOff, scopeIds("payments.read", "payments.write"));
    await expect(handler(authorizerEvent({ ...payments, headers: { Authorization: `Bearer ${token}` } }))).rejects.toThrow(/^Unauthorized$/);
    expect(logs.lines.map((l) => JSON.parse(l))).toEqual([
      { msg: "scope-check", decision: "unauthorized", reason: "client-not-allowed", clientId: cutOff, route: "POST /payments" },
    ]);
    for (const part of token.split(".")) expect(logs.lines[0]).not.toContain(part);
  });
});

describe("key and algorithm pinning", () => {
  it("refuses RS384 with a key whose JWKS entry names no alg (Cognito signs RS256 only)", async () => {
    const { alg: _ignored, ...withoutAlg } = key.jwk;
    const lax = createHandler({ userPoolId: USER_POOL_ID, clientIds: [BILLING], routes: TEST_ROUTES, jwks: { keys: [withoutAlg] } });
    const rs384 = signJwt({ kid: key.kid, alg: "RS384" }, accessTokenClaims(BILLING, scopeIds("payments.read", "payments.write")), key, "sha384");
    const rs256 = accessToken(key, BILLING, scopeIds("payments.read", "payments.write"));
    await expect(lax(authorizerEvent({ ...payments, headers: { Authorization: rs256 } }))).resolves.toMatchObject({ principalId: BILLING });
    await expect(lax(authorizerEvent({ ...payments, headers: { Authorization: rs384 } }))).rejects.toThrow(/^Unauthorized$/);
    expect(JSON.parse(logs.lines[1]!)).toMatchObject({ decision: "unauthorized", reason: "unsupported-alg" });
  });
});

describe("refreshJwks (new keys for an unknown kid)", () => {
  const rotated = generateSigningKey("key-9");
  const scopes = scopeIds("payments.read", "payments.write");
  const call = (h: ReturnType<typeof createHandler>, token: string) =>
    h(authorizerEvent({ ...payments, headers: { Authorization: `Bearer ${token}` } })).then(
      (r) => r.policyDocument.Statement[0]!.Effect,
      (err: Error) => err.message,
    );

  it("is asked only for a kid the keys lack; the token is then verified with the keys it returns", async () => {
    const asked: number[] = [];
    const h = createHandler({
      userPoolId: USER_POOL_ID,
      clientIds: [BILLING],
      routes: TEST_ROUTES,
      jwks: jwksOf(key),
      refreshJwks: () => {
        asked.push(1);
        return Promise.resolve(jwksOf(key, rotated));
      },
    });
    expect(await call(h, accessToken(key, BILLING, scopes))).toBe("Allow");
    expect(await call(h, signJwt({ alg: "RS256" }, accessTokenClaims(BILLING, scopes), key))).toBe("Unauthorized"); // no kid
    expect(await call(h, signJwt({ kid: key.kid, alg: "RS256" }, accessTokenClaims(BILLING, scopes), rotated))).toBe("Unauthorized"); // known kid, wrong key
    expect(asked).toHaveLength(0);
    expect(await call(h, accessToken(rotated, BILLING, scopes))).toBe("Allow");
    expect(await call(h, accessToken(rotated, BILLING, scopes))).toBe("Allow");
    expect(asked).toHaveLength(1);
  });

  it("refuses at once (unknown-kid) when no fetch is allowed, and keeps its keys when the answer is no JWKS", async () => {
    const answers: (object | undefined)[] = [undefined, { keys: "none" }, { keys: [{ ...rotated.jwk, kty: 7 }] }];
    const h = createHandler({
      userPoolId: USER_POOL_ID,
      clientIds: [BILLING],
      routes: TEST_ROUTES,
      jwks: jwksOf(key),
      refreshJwks: () => {
        const answer = answers.shift();
        return answer === undefined ? undefined : Promise.resolve(answer as { keys: object[] });
      },
    });
    for (let i = 0; i < 3; i++) {
      expect(await call(h, accessToken(rotated, BILLING, scopes))).toBe("Unauthorized");
      expect(await call(h, accessToken(key, BILLING, scopes))).toBe("Allow");
    }
    expect(answers).toHaveLength(0);
    const reasons = logs.lines.map((l) => JSON.parse(l)).filter((l) => l.decision === "unauthorized").map((l) => l.reason);
    expect(reasons).toEqual(["unknown-kid", "unknown-kid", "unknown-kid"]);
  });
});

describe("decision log", () => {
  it("writes one JSON line per decision with client, route, decision and reason class, never the token", async () => {
    const denied = accessToken(key, READER, scopeIds("orders.read"));
    await handler(authorizerEvent({ ...payments, headers: { Authorization: `Bearer ${paymentsToken}` } }));
    await handler(authorizerEvent({ ...payments, headers: { Authorization: `Bearer ${denied}` } }));
    await expect(handler(authorizerEvent({ ...payments, headers: { Authorization: `Bearer ${paymentsToken}x` } }))).rejects.toThrow("Unauthorized");
    expect(logs.lines.map((l) => JSON.parse(l))).toEqual([
      { msg: "scope-check", decision: "allow", reason: "scopes-satisfied", clientId: BILLING, route: "POST /payments" },
      { msg: "scope-check", decision: "deny", reason: "missing-scope", clientId: READER, route: "POST /payments" },
      { msg: "scope-check", decision: "unauthorized", reason: "malformed-token", route: "POST /payments" },
    ]);
    const everything = logs.lines.join("\n");
    for (const token of [paymentsToken, denied]) {
      for (const part of token.split(".")) expect(everything).not.toContain(part);
    }
    expect(everything).not.toContain("Bearer");
  });
});

describe("createHandler", () => {
  it("module import has no side effects: no environment needed, nothing logged", () => {
    const saved = { ...process.env };
    for (const name of ["USER_POOL_ID", "RESOURCE_SERVER_ID", "ACCESS_FILE", "LAMBDA_TASK_ROOT"]) delete process.env[name];
    try {
      jest.isolateModules(() => {
        const fresh = require("../../lambdas/scope-checker/scope-checker") as typeof import("../../lambdas/scope-checker/scope-checker");
        expect(typeof fresh.createHandler).toBe("function");
      });
      expect(logs.lines).toEqual([]);
    } finally {
      process.env = saved;
    }
  });

  it.each([
    ["a bad user pool id", { userPoolId: "not-a-pool" }, "userPoolId"],
    ["a lower-case method", { routes: [{ method: "get", path: "/a", scopes: ["s"] }] }, "routes[0]"],
    ["a path without /", { routes: [{ method: "GET", path: "a", scopes: ["s"] }] }, "routes[0]"],
    ["a greedy segment not last", { routes: [{ method: "GET", path: "/{p+}/a", scopes: ["s"] }] }, "routes[0]"],
    ["an empty segment", { routes: [{ method: "GET", path: "/a//b", scopes: ["s"] }] }, "routes[0]"],
    ["a `*` in a path (API Gateway refuses it)", { routes: [{ method: "GET", path: "/a/*", scopes: ["s"] }] }, "routes[0]"],
    ["no scopes", { routes: [{ method: "GET", path: "/a", scopes: [] }] }, "routes[0]"],
    ["a duplicate route", { routes: [{ method: "GET", path: "/a", scopes: ["s"] }, { method: "GET", path: "/a", scopes: ["t"] }] }, "routes[1]"],
    ["a JWKS that is not one", { jwks: { keys: [{ kty: 7 }] } }, "jwks"],
    ["client ids that are not strings", { clientIds: [1] }, "clientIds"],
    ["refreshJwks without jwks", { jwks: undefined, refreshJwks: () => undefined }, "refreshJwks"],
    ["refreshJwks that is not a function", { refreshJwks: "https://example.com/jwks.json" }, "refreshJwks"],
  ])("refuses %s with a ScopeCheckerConfigError naming the field", (_name, override, field) => {
    const options = { userPoolId: USER_POOL_ID, clientIds: [BILLING], routes: TEST_ROUTES, jwks: jwksOf(key), ...override };
    let error: unknown;
    try {
      createHandler(options as Parameters<typeof createHandler>[0]);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ScopeCheckerConfigError);
    expect((error as ScopeCheckerConfigError).field).toBe(field);
    expect((error as Error).message.startsWith(`${field}: `)).toBe(true);
  });
});
