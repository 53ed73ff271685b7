/**
 * The offline API stage over real HTTP: native-authorizer routes, scope-checker routes run by the
 * real Lambda handler, API Gateway's gateway responses, and route selection with path parameters.
 */
import type { LocalEnvironment } from "../../local/local-environment";
import { basic, clientOf, decisionLogLines, FORM, modelWith, postToken, startEnv } from "./local-test-kit";

// POST /payments is a mock here: these tests are about the authorizers and the mock integration
// (backend-integration.test.ts runs the default config's real payments handler).
const model = modelWith((c) => ({
  ...c,
  routes: [
    ...c.routes.map((r) => (r.path === "/payments" ? { ...r, backend: { type: "mock" as const }, response: { status: 202, body: { status: "accepted" } } } : r)),
    { method: "GET", path: "/payments/{id}", scopes: ["payments.read"], authorizer: "scope-checker", response: { status: 200, body: { state: "settled" } } },
    { method: "ANY", path: "/files/{proxy+}", scopes: ["read"], response: { status: 200, body: { file: true } } },
  ],
  clients: [...c.clients, { name: "auditor", scopes: ["payments.read"] }],
}));

let env: LocalEnvironment;
let other: LocalEnvironment;
const tokens = new Map<string, string>();

async function tokenFor(local: LocalEnvironment, name: string): Promise<string> {
  const client = clientOf(local, name);
  const res = await postToken(local, { headers: { authorization: basic(client.clientId, client.clientSecret), "content-type": FORM }, body: "grant_type=client_credentials" });
  return res.json!.access_token as string;
}

beforeAll(async () => {
  [env, other] = await Promise.all([startEnv({ model }), startEnv({ model })]);
  for (const name of ["3rd-party", "reader", "writer", "billing", "auditor"]) tokens.set(name, await tokenFor(env, name));
});
afterAll(() => Promise.all([env.close(), other.close()]));

async function call(method: string, path: string, authorization?: string) {
  const res = await fetch(`${env.apiUrl}${path}`, { method, headers: authorization === undefined ? {} : { authorization } });
  return { status: res.status, body: await res.json(), challenge: res.headers.get("www-authenticate") };
}
const bearer = (name: string) => `Bearer ${tokens.get(name)!}`;
const realm = 'Bearer realm="m2m-demo-api"';

describe("native (Cognito) authorizer routes", () => {
  it("answers the configured mock response to a token with the route's scope", async () => {
    expect(await call("GET", "/hello-world", bearer("3rd-party"))).toEqual({ status: 200, body: { message: "hello world!" }, challenge: null });
    expect(await call("POST", "/premium", bearer("writer"))).toMatchObject({ status: 201, body: { created: true } });
  });

  it("accepts the Bearer scheme in any case, and a bare token", async () => {
    expect((await call("GET", "/premium", `bearer ${tokens.get("reader")}`)).status).toBe(200);
    expect((await call("GET", "/premium", tokens.get("reader"))).status).toBe(200);
  });

  it("answers 401 without a token, with the realm challenge", async () => {
    expect(await call("GET", "/premium")).toEqual({ status: 401, body: { message: "Unauthorized" }, challenge: realm });
  });

  it("answers 401 to a valid token without the route's scope (API Gateway's scope mismatch)", async () => {
    expect(await call("POST", "/premium", bearer("reader"))).toEqual({ status: 401, body: { message: "Unauthorized" }, challenge: realm });
  });

  it("refuses a token of another user pool, a tampered token and garbage with 401", async () => {
    const foreign = await tokenFor(other, "reader");
    const [h, p, s] = tokens.get("reader")!.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, "base64url").toString());
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, scope: `${claims.scope} ${env.apiUrl}/write` })).toString("base64url")}.${s}`;
    for (const authorization of [`Bearer ${foreign}`, `Bearer ${tampered}`, "Bearer not-a-jwt", "Basic abc"]) {
      expect(await call("GET", "/premium", authorization)).toMatchObject({ status: 401, challenge: realm });
    }
  });

  it("matches a greedy path for any method", async () => {
    expect(await call("DELETE", "/files/a/b/c", bearer("reader"))).toMatchObject({ status: 200, body: { file: true } });
    expect((await call("PUT", "/files/x", bearer("3rd-party"))).status).toBe(401);
  });
});

describe("scope-checker routes (the real Lambda handler)", () => {
  it("allows a token holding all of the route's scopes", async () => {
    expect(await call("POST", "/payments", bearer("billing"))).toEqual({ status: 202, body: { status: "accepted" }, challenge: null });
  });

  it("builds the REQUEST event with the route template and path parameters", async () => {
    expect(await call("GET", "/payments/p-1", bearer("auditor"))).toMatchObject({ status: 200, body: { state: "settled" } });
    expect((await call("GET", "/payments/p-2", bearer("billing"))).status).toBe(200);
  });

  it("answers 403 (explicit deny, insufficient_scope) to an allowed client lacking one of the scopes", async () => {
    expect(await call("POST", "/payments", bearer("auditor"))).toEqual({
      status: 403,
      body: { message: "User is not authorized to access this resource with an explicit deny" },
      challenge: `${realm}, error="insufficient_scope"`,
    });
  });

  it("answers 401 to a client that is not on the allow-list, and without a token", async () => {
    expect(await call("POST", "/payments", bearer("writer"))).toMatchObject({ status: 401, challenge: realm });
    expect(await call("POST", "/payments")).toEqual({ status: 401, body: { message: "Unauthorized" }, challenge: realm });
    expect((await call("POST", "/payments", `Bearer ${await tokenFor(other, "billing")}`)).status).toBe(401);
  });

  it("never logs a token in the handler's decision lines", () => {
    expect(decisionLogLines.length).toBeGreaterThan(0);
    for (const token of tokens.values()) {
      const signature = token.split(".")[2]!;
      expect(decisionLogLines.some((line) => line.includes(signature))).toBe(false);
    }
  });
});

describe("the mock integration's Content-Type check (application/json template, passthrough NEVER)", () => {
  async function send(method: string, path: string, authorization: string | undefined, init: { contentType?: string; body?: string | Uint8Array }) {
    const headers: Record<string, string> = {};
    if (authorization !== undefined) headers.authorization = authorization;
    if (init.contentType !== undefined) headers["content-type"] = init.contentType;
    const res = await fetch(`${env.apiUrl}${path}`, { method, headers, ...(init.body === undefined ? {} : { body: init.body }) });
    return { status: res.status, body: await res.json(), errorType: res.headers.get("x-amzn-errortype") };
  }
  const unsupported = { status: 415, body: { message: "Unsupported Media Type" }, errorType: "UnsupportedMediaTypeException" };

  it("refuses a body of another media type with 415, on native and scope-checker routes", async () => {
    expect(await send("POST", "/premium", bearer("writer"), { contentType: "text/plain", body: "{}" })).toEqual(unsupported);
    expect(await send("POST", "/payments", bearer("billing"), { contentType: "application/x-www-form-urlencoded", body: "a=1" })).toEqual(unsupported);
    expect(await send("GET", "/premium", bearer("reader"), { contentType: "application/xml" })).toEqual(unsupported);
  });

  it("refuses a string body sent without a Content-Type: fetch labels it text/plain", async () => {
    const res = await fetch(`${env.apiUrl}/premium`, { method: "POST", headers: { authorization: bearer("writer") }, body: '{"a":1}' });
    expect([res.status, await res.json()]).toEqual([415, { message: "Unsupported Media Type" }]);
  });

  it("accepts application/json (parameters and case ignored) and a request without a Content-Type", async () => {
    expect(await send("POST", "/premium", bearer("writer"), { contentType: "application/json", body: "{}" })).toMatchObject({ status: 201, body: { created: true } });
    expect(await send("POST", "/premium", bearer("writer"), { contentType: "Application/JSON; charset=utf-8", body: "{}" })).toMatchObject({ status: 201 });
    // A byte body gets no Content-Type from fetch: API Gateway takes it as application/json.
    expect(await send("POST", "/payments", bearer("billing"), { body: new TextEncoder().encode("{}") })).toMatchObject({ status: 202, body: { status: "accepted" } });
  });

  it("runs after the authorizer: a refused caller gets 401/403, not 415", async () => {
    expect(await send("POST", "/premium", undefined, { contentType: "text/plain", body: "{}" })).toMatchObject({ status: 401 });
    expect(await send("POST", "/premium", bearer("reader"), { contentType: "text/plain", body: "{}" })).toMatchObject({ status: 401 });
    expect(await send("POST", "/payments", bearer("auditor"), { contentType: "text/plain", body: "{}" })).toMatchObject({ status: 403 });
  });
});

describe("API Gateway's answers outside the routes", () => {
  it.each([
    ["GET", "/nothing"],
    ["DELETE", "/premium"],
    ["GET", "/payments"],
  ])("%s %s -> 403 Missing Authentication Token, even with a valid token", async (method, path) => {
    expect(await call(method, path, bearer("writer"))).toMatchObject({ status: 403, body: { message: "Missing Authentication Token" } });
  });

  it("answers paths outside the stage the same way", async () => {
    const res = await fetch(`${env.url}/prod/hello-world`, { headers: { authorization: bearer("3rd-party") } });
    expect([res.status, await res.json()]).toEqual([403, { message: "Missing Authentication Token" }]);
  });
});

describe("a config without scope-checker routes", () => {
  it("starts and serves its native routes", async () => {
    const nativeOnly = modelWith((c) => ({ ...c, routes: c.routes.filter((r) => r.authorizer !== "scope-checker") }));
    const local = await startEnv({ model: nativeOnly });
    try {
      const token = await tokenFor(local, "reader");
      expect((await fetch(`${local.apiUrl}/premium`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      expect((await fetch(`${local.apiUrl}/payments`, { method: "POST", headers: { authorization: `Bearer ${token}` } })).status).toBe(403);
    } finally {
      await local.close();
    }
  });
});
