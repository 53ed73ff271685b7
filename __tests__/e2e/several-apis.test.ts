/**
 * Two APIs offline, end to end: the default config (m2m.config.ts: `content` and `payments`,
 * one user pool) on 127.0.0.1, each API on its own port behind the one token endpoint, real
 * tokens signed with a node:crypto key, real HTTP. A client with scopes on both APIs calls both
 * with one token; a client of one API is refused on the other, even where the other API has a
 * scope of the same name; `m2m call --api` and its usage errors; `m2m smoke` across API x client.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatSmokeTable, runSmoke } from "../../client/smoke";
import type { LocalEnvironment } from "../../local/local-environment";
import { allRoutes } from "../../model/apis";
import { ROOT, runNode } from "../support/node-child";
import { clientOf, decodeJwt, FORM, basic, smokeTargetOf, startEnv, tokenClientFor, twoApiModel, twoApiModelWith, verifiesWithJwks } from "../local/local-test-kit";

const BIN = join(ROOT, "bin", "m2m.js");

function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith("M2M_") || key.startsWith("AWS_")) delete env[key];
  return env;
}
const m2m = (args: string[]) => runNode([BIN, ...args], cleanEnv());

let dir: string;
let env: LocalEnvironment;
let localFile: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "m2m-apis-"));
  localFile = join(dir, "local.json");
  env = await startEnv({ model: twoApiModel, credentialsFile: localFile });
});
afterAll(async () => {
  await env.close();
  rmSync(dir, { recursive: true, force: true });
});

const dev = twoApiModel.environments.find((e) => e.name === "dev")!;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const PAYMENT = JSON.stringify({ amount: 1250, currency: "EUR" });

/** A token for `name`, asking for `scope` (full identifiers) or, when absent, everything the client may have. */
async function tokenFor(name: string, scope?: string): Promise<string> {
  const c = clientOf(env, name);
  const response = await fetch(env.tokenEndpoint, {
    method: "POST",
    headers: { authorization: basic(c.clientId, c.clientSecret), "content-type": FORM },
    body: `grant_type=client_credentials${scope === undefined ? "" : `&scope=${encodeURIComponent(scope)}`}`,
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

describe("one token endpoint, a port per API", () => {
  it("gives each API its own origin, with the stage path the deployed invoke URL has, as its resource server identifier", () => {
    expect(env.apis.map((a) => a.name)).toEqual(["content", "payments"]);
    const origins = env.apis.map((a) => new URL(a.url).origin);
    expect(new Set([env.url, ...origins]).size).toBe(3);
    for (const api of env.apis) expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/dev$/);
    expect(env.apiUrl).toBe(env.apiUrlOf("content"));
    // finance-reports holds content:read and payments:read: one scope under each resource server.
    expect(clientOf(env, "finance-reports").scopes).toEqual([`${env.apiUrlOf("content")}/read`, `${env.apiUrlOf("payments")}/read`]);
    expect(env.credentials.apis.map((a) => [a.name, a.url, a.routes])).toEqual([
      ["content", env.apiUrlOf("content"), ["GET /hello-world", "GET /premium", "POST /premium"]],
      ["payments", env.apiUrlOf("payments"), ["POST /payments", "GET /payments/{id}"]],
    ]);
  });

  it("serves a path on its own API's port only: another API's path, or the token endpoint, is API Gateway's 403 there", async () => {
    const token = await tokenFor("finance-reports");
    const onContent = await fetch(`${env.apiUrlOf("content")}/payments/p-1`, { headers: bearer(token) });
    expect({ status: onContent.status, body: await onContent.json() }).toEqual({ status: 403, body: { message: "Missing Authentication Token" } });
    const tokenOnApi = await fetch(`${new URL(env.apiUrlOf("payments")).origin}/oauth2/token`, { method: "POST", headers: { "content-type": FORM }, body: "grant_type=client_credentials" });
    expect(tokenOnApi.status).toBe(403);
  });
});

describe("a client with scopes on both APIs", () => {
  it("calls both with one token, which carries each API's scope under that API's identifier", async () => {
    const tokens = tokenClientFor(env, "finance-reports");
    const before = env.metrics.tokensIssued;
    const token = await tokens.getToken();
    expect(verifiesWithJwks(token, (await (await fetch(env.jwksUrl)).json()) as { keys: { kid: string }[] })).toBe(true);
    expect(decodeJwt(token).payload.scope).toBe(`${env.apiUrlOf("content")}/read ${env.apiUrlOf("payments")}/read`);
    const premium = await fetch(`${env.apiUrlOf("content")}/premium`, { headers: bearer(await tokens.getToken()) });
    const payment = await fetch(`${env.apiUrlOf("payments")}/payments/p-1`, { headers: bearer(await tokens.getToken()) });
    expect([premium.status, await premium.json(), payment.status, await payment.json()]).toEqual([200, { items: [] }, 200, { status: "settled" }]);
    expect(env.metrics.tokensIssued - before).toBe(1);
  });

  it("is refused by an API whose scope its token was not issued with (the authorizer reads the token, not the grants)", async () => {
    const contentOnly = await tokenFor("finance-reports", `${env.apiUrlOf("content")}/read`);
    expect((await fetch(`${env.apiUrlOf("content")}/premium`, { headers: bearer(contentOnly) })).status).toBe(200);
    expect((await fetch(`${env.apiUrlOf("payments")}/payments/p-1`, { headers: bearer(contentOnly) })).status).toBe(401);
  });
});

describe("a client of one API, on the other", () => {
  it.each([
    // content:read is not payments:read, although both are called `read`.
    ["reader", "payments", "GET", "/payments/p-1", 401],
    ["reader", "payments", "POST", "/payments", 401],
    ["writer", "payments", "POST", "/payments", 401],
    ["billing", "content", "GET", "/premium", 401],
    ["billing", "content", "POST", "/premium", 401],
  ])("%s -> %s %s %s: %i, with the other API's realm", async (client, api, method, path, status) => {
    const response = await fetch(`${env.apiUrlOf(api)}${path}`, {
      method,
      headers: { ...bearer(await tokenFor(client)), "content-type": "application/json" },
      ...(method === "POST" ? { body: PAYMENT } : {}),
    });
    expect({ status: response.status, challenge: response.headers.get("www-authenticate") }).toEqual({ status, challenge: `Bearer realm="${api}"` });
  });

  it("is answered 403 by the other API's scope checker when that checker knows it from another route", async () => {
    // payments gains a scope-checker route finance-reports may call: its allow-list now holds it, so POST /payments is a Deny.
    const model = twoApiModelWith((c) => ({
      ...c,
      apis: c.apis!.map((a) => (a.name === "payments" ? { ...a, routes: [...a.routes!, { method: "GET", path: "/refunds", scopes: ["read"], authorizer: "scope-checker", response: { status: 200, body: { refunds: [] } } }] } : a)),
    }));
    const variant = await startEnv({ model });
    try {
      const tokens = tokenClientFor(variant, "finance-reports");
      const refunds = await fetch(`${variant.apiUrlOf("payments")}/refunds`, { headers: bearer(await tokens.getToken()) });
      const post = await fetch(`${variant.apiUrlOf("payments")}/payments`, { method: "POST", headers: { ...bearer(await tokens.getToken()), "content-type": "application/json" }, body: PAYMENT });
      expect([refunds.status, post.status]).toEqual([200, 403]);
      // Content's clients stay unknown to payments' scope checker: 401.
      const reader = await fetch(`${variant.apiUrlOf("payments")}/refunds`, { headers: bearer(await tokenClientFor(variant, "reader").getToken()) });
      expect(reader.status).toBe(401);
    } finally {
      await variant.close();
    }
  });
});

describe("m2m smoke across API x client", () => {
  it("passes every check of the default config, with an API column", async () => {
    const report = await runSmoke({ model: twoApiModel, environment: dev, target: smokeTargetOf(env) });
    expect(report.checks).toHaveLength(allRoutes(twoApiModel).length * (dev.clients.length + 1));
    expect(report.checks.filter((c) => !c.passed).map((c) => `${c.client} ${c.route.api} ${c.route.key} ${c.actual}`)).toEqual([]);
    const table = formatSmokeTable(report);
    expect(table).toMatch(/^API +ROUTE +CLIENT +EXPECTED +ACTUAL +RESULT$/m);
    expect(table).toMatch(/^payments +GET \/payments\/\{id\} +reader +401 \(no scope on this API\) +HTTP 401 +ok$/m);
    expect(table).toMatch(/^content +GET \/premium +billing +401 \(no scope on this API\) +HTTP 401 +ok$/m);
    expect(table).toMatch(/^payments +GET \/payments\/\{id\} +finance-reports +200 \(allowed\) +HTTP 200 +ok$/m);
  });

  it("catches a deployment whose APIs are swapped (each API's routes checked at its own URL)", async () => {
    const target = smokeTargetOf(env);
    const swapped = { ...target, apiUrls: new Map([["content", env.apiUrlOf("payments")], ["payments", env.apiUrlOf("content")]]) };
    const report = await runSmoke({ model: twoApiModel, environment: dev, target: swapped });
    // Every allowed call now meets the other API's route table (403 Missing Authentication Token).
    expect(report.checks.filter((c) => c.expected.kind !== "status" || c.expected.reason === "allowed").every((c) => !c.passed)).toBe(true);
    expect(report.failed).toBeGreaterThan(0);
  });

  it("m2m smoke --local runs it from the command line", async () => {
    const result = await m2m(["smoke", "--local", "--local-file", localFile]);
    const checks = allRoutes(twoApiModel).length * (dev.clients.length + 1);
    expect({ code: result.code, stderr: result.stderr, last: result.stdout.trimEnd().split("\n").at(-1) }).toEqual({ code: 0, stderr: "", last: `${checks} checks, ${checks} passed, 0 failed` });
  });
});

describe("m2m call and token with several APIs", () => {
  const local = () => ["--local", "--local-file", localFile];

  it("finds the API from the route, and expands a short --scope on that API", async () => {
    const [payment, premium] = await Promise.all([
      m2m(["call", "GET", "/payments/p-1", ...local(), "--client", "finance-reports", "--scope", "read"]),
      m2m(["call", "GET", "/premium", ...local(), "--client", "finance-reports", "--scope", "read"]),
    ]);
    expect(payment).toEqual({ code: 0, stdout: 'HTTP 200\n{\n  "status": "settled"\n}\n', stderr: "" });
    expect(premium).toEqual({ code: 0, stdout: 'HTTP 200\n{\n  "items": []\n}\n', stderr: "" });
  });

  it("--api NAME sends the call to that API (another API's route there: API Gateway's 403, exit 1)", async () => {
    const [paid, wrongApi] = await Promise.all([
      m2m(["call", "POST", "/payments", "--api", "payments", ...local(), "--client", "billing", "--data", PAYMENT]),
      m2m(["call", "GET", "/premium", "--api", "payments", ...local(), "--client", "finance-reports"]),
    ]);
    expect({ code: paid.code, stderr: paid.stderr, status: paid.stdout.split("\n")[0] }).toEqual({ code: 0, stderr: "", status: "HTTP 202" });
    expect(JSON.parse(paid.stdout.slice(paid.stdout.indexOf("\n") + 1))).toMatchObject({ status: "accepted", clientId: clientOf(env, "billing").clientId });
    expect(wrongApi).toEqual({
      code: 1,
      stdout: 'HTTP 403\n{\n  "message": "Missing Authentication Token"\n}\n',
      stderr: 'm2m: no route GET /premium on payments: API Gateway answers an unknown method or path with 403 "Missing Authentication Token"; it is a route of content: call with --api content\n',
    });
  });

  it("a client of one API calling the other: the 401, exit 1", async () => {
    expect(await m2m(["call", "GET", "/payments/p-1", ...local(), "--client", "reader"])).toEqual({
      code: 1,
      stdout: 'HTTP 401\n{\n  "message": "Unauthorized"\n}\n',
      stderr: 'm2m: refused: GET /payments/{id} on payments needs payments:read; the token carries content:read; client "reader" holds content:read: grant payments:read in the config (clients[].scopes), or call as a client that holds it\n',
    });
  });

  it("--scope with --api, <api>:<scope>, or a full identifier asks for that API's scope", async () => {
    const runs = await Promise.all([
      m2m(["token", ...local(), "--client", "finance-reports", "--api", "payments", "--scope", "read"]),
      m2m(["token", ...local(), "--client", "finance-reports", "--scope", "content:read"]),
      m2m(["token", ...local(), "--client", "finance-reports", "--scope", `${env.apiUrlOf("payments")}/read`]),
    ]);
    expect(runs.map((r) => [r.code, r.stderr])).toEqual([[0, ""], [0, ""], [0, ""]]);
    expect(runs.map((r) => decodeJwt(r.stdout.trim()).payload.scope)).toEqual([`${env.apiUrlOf("payments")}/read`, `${env.apiUrlOf("content")}/read`, `${env.apiUrlOf("payments")}/read`]);
  });

  it.each([
    [["call", "GET", "/premium", "--api", "orders", "--client", "reader"], `m2m: unknown API "orders" (APIs in LOCAL: content, payments)`],
    [["call", "GET", "/nowhere", "--client", "reader"], "m2m: no API has a route GET /nowhere: choose one with --api NAME (the config has: content, payments)"],
    [["token", "--client", "finance-reports", "--scope", "read"], 'm2m: scope "read" is on several APIs (content:read, payments:read): choose one with --api NAME or --scope <api>:read'],
    [["token", "--client", "reader", "--api", "payments", "--scope", "read"], 'm2m: this client has no scope "read" on payments (it may request: content:read)'],
  ])("usage error: m2m %j exits 2 with one line", async (args, line) => {
    const result = await m2m([...args, ...local()]);
    expect(result).toEqual({ code: 2, stdout: "", stderr: `${line.replace("LOCAL", localFile)}\n` });
  });

  it("--api without a source that lists APIs is a usage error", async () => {
    const result = await m2m(["call", "GET", "/premium", "--api", "content", "--client-id", "x", "--client-secret", "y", "--token-endpoint", "http://127.0.0.1:9/oauth2/token"]);
    expect(result).toEqual({ code: 2, stdout: "", stderr: "m2m: --api needs --local or --outputs FILE (the other credential sources list no APIs): pass --api-url URL instead\n" });
  });

  it("a route both APIs have needs --api, naming both", async () => {
    const both = twoApiModelWith((c) => ({
      ...c,
      apis: c.apis!.map((a) => ({ ...a, routes: [...a.routes!, { method: "GET", path: "/status", scopes: ["read"], response: { status: 200, body: { api: a.name } } }] })),
    }));
    const file = join(dir, "both.json");
    const variant = await startEnv({ model: both, credentialsFile: file });
    try {
      const [ambiguous, chosen] = await Promise.all([
        m2m(["call", "GET", "/status", "--local", "--local-file", file, "--client", "finance-reports"]),
        m2m(["call", "GET", "/status", "--api", "payments", "--local", "--local-file", file, "--client", "finance-reports"]),
      ]);
      expect(ambiguous).toEqual({ code: 2, stdout: "", stderr: "m2m: GET /status is a route of several APIs (content, payments): choose one with --api NAME\n" });
      expect(chosen).toEqual({ code: 0, stdout: 'HTTP 200\n{\n  "api": "payments"\n}\n', stderr: "" });
    } finally {
      await variant.close();
    }
  });
});

describe("m2m dev --port with several APIs", () => {
  it("names the API port that is taken, exits 2, and writes no credentials file", async () => {
    // A port N whose N+1 this test then holds (bounded tries: another process may take N in between).
    const listenOn = (port: number) =>
      new Promise<Server | undefined>((done) => {
        const server = createServer();
        server.once("error", () => done(undefined));
        server.listen(port, "127.0.0.1", () => done(server));
      });
    const close = (server: Server) => new Promise<void>((done) => server.close(() => done()));
    for (let attempt = 0; attempt < 10; attempt++) {
      const probe = (await listenOn(0))!;
      const base = (probe.address() as { port: number }).port;
      await close(probe);
      const squatter = await listenOn(base + 1);
      if (!squatter) continue;
      try {
        const file = join(dir, "taken", "local.json");
        const result = await m2m(["dev", "--port", String(base), "--local-file", file]);
        if (result.stderr.includes(`port ${base} is in use`)) continue; // N itself was taken meanwhile: try another
        expect(result).toEqual({
          code: 1,
          stdout: "",
          stderr: `m2m: port ${base + 1} is in use (another m2m dev?): choose another with --port (each API takes one of the ports after it), or --port 0 for any free ports\n`,
        });
        expect(existsSync(file)).toBe(false);
        return;
      } finally {
        await close(squatter);
      }
    }
    throw new Error("could not hold a port next to a free one");
  });
});
