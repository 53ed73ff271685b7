/**
 * lambdas/scope-checker/handler.ts as Lambda runs it: configured by environment variables and
 * the access file on disk (ACCESS_FILE; /opt/access.json, its layer, by default), the JWKS served
 * over real HTTP on 127.0.0.1 (JWKS_URI), loaded at cold start and re-fetched (rate-limited)
 * after a key rotation.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { JwksLoadError } from "../../lambdas/scope-checker/errors";
import { loadJwks } from "../../lambdas/scope-checker/jwks-loader";
import { readLambdaEnvironment } from "../../lambdas/scope-checker/lambda-environment";
import {
  ARN_PREFIX,
  RESOURCE_SERVER,
  USER_POOL_ID,
  accessToken,
  accessTokenClaims,
  authorizerEvent,
  captureConsole,
  generateSigningKey,
  jwksOf,
  scopeIds,
  signJwt,
} from "./support/cognito-tokens";

type HandlerModule = typeof import("../../lambdas/scope-checker/handler");

const key = generateSigningKey("key-1");
const stranger = generateSigningKey("key-2");
const BILLING = "billing0client0id0000000001";

interface JwksServer {
  server: Server;
  uri: string;
  requests: number;
  status: number;
  body: string;
}

async function startJwksServer(): Promise<JwksServer> {
  const state = { requests: 0, status: 200, body: JSON.stringify(jwksOf(key)) } as JwksServer;
  state.server = createServer((req, res) => {
    if (req.url === "/hang") return; // never answers
    state.requests += 1;
    res.writeHead(state.status, { "content-type": "application/json" });
    res.end(state.body);
  });
  await new Promise<void>((resolve) => state.server.listen(0, "127.0.0.1", resolve));
  state.uri = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}/.well-known/jwks.json`;
  return state;
}

const ROUTES = [
  { method: "POST", path: "/payments", scopes: ["payments.read", "payments.write"] },
  { method: "GET", path: "/orders/{id}", scopes: ["orders.read"] },
];
const ACCESS = JSON.stringify({ clientIds: [BILLING], routes: ROUTES });

const taskRoots = mkdtempSync(path.join(tmpdir(), "scope-checker-env-"));
let taskRootCount = 0;

/** A fresh `access.json` with this text; its path. */
function accessFile(accessText: string): string {
  const dir = path.join(taskRoots, String(taskRootCount++));
  mkdirSync(dir);
  writeFileSync(path.join(dir, "access.json"), accessText);
  return path.join(dir, "access.json");
}

function environment(jwksUri: string, overrides: Record<string, string | undefined> = {}, accessText = ACCESS): Record<string, string | undefined> {
  return { USER_POOL_ID, RESOURCE_SERVER_ID: RESOURCE_SERVER, ACCESS_FILE: accessFile(accessText), JWKS_URI: jwksUri, ...overrides };
}

/** A cold start: a fresh module instance reading `env`. */
function coldStart(env: Record<string, string | undefined>): HandlerModule {
  const saved = process.env;
  process.env = { ...saved };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  try {
    let loaded: HandlerModule | undefined;
    jest.isolateModules(() => {
      loaded = require("../../lambdas/scope-checker/handler") as HandlerModule;
    });
    return loaded!;
  } finally {
    process.env = saved;
  }
}

const payments = (token: string) => authorizerEvent({ method: "POST", resource: "/payments", headers: { authorization: `Bearer ${token}` } });

async function outcome(mod: HandlerModule, token: string): Promise<string> {
  try {
    const result = await mod.handler(payments(token));
    return result.policyDocument.Statement[0]!.Effect;
  } catch (err) {
    return (err as Error).message;
  }
}

let jwks: JwksServer;
let logs: ReturnType<typeof captureConsole>;
beforeAll(async () => {
  jwks = await startJwksServer();
});
afterAll(async () => {
  rmSync(taskRoots, { recursive: true, force: true });
  jwks.server.closeAllConnections();
  await new Promise((resolve) => jwks.server.close(resolve));
});
beforeEach(() => {
  jwks.requests = 0;
  jwks.status = 200;
  jwks.body = JSON.stringify(jwksOf(key));
  logs = captureConsole();
});
afterEach(() => {
  logs.restore();
  jest.restoreAllMocks();
});

describe("configured by environment variables", () => {
  it("allows, denies and refuses, with scope names prefixed by RESOURCE_SERVER_ID, fetching the JWKS once", async () => {
    const mod = coldStart(environment(jwks.uri));
    const full = accessToken(key, BILLING, scopeIds("payments.read", "payments.write"));
    const partial = accessToken(key, BILLING, scopeIds("payments.read"));
    const bareNames = accessToken(key, BILLING, "payments.read payments.write");
    const result = await mod.handler(payments(full));
    expect(result.principalId).toBe(BILLING);
    expect(result.policyDocument.Statement).toEqual([{ Action: "execute-api:Invoke", Effect: "Allow", Resource: [`${ARN_PREFIX}POST/payments`] }]);
    expect(await outcome(mod, partial)).toBe("Deny");
    expect(await outcome(mod, bareNames)).toBe("Deny");
    expect(await outcome(mod, accessToken(key, "not0allowed0000000000000009", scopeIds("payments.read", "payments.write")))).toBe("Unauthorized");
    // Unknown kids do not make the Lambda refetch within JWKS_REFRESH_INTERVAL_MS of the cold-start load.
    for (let i = 0; i < 10; i++) expect(await outcome(mod, accessToken(stranger, BILLING, scopeIds("payments.read")))).toBe("Unauthorized");
    expect(jwks.requests).toBe(1);
    expect(logs.lines.join("\n")).not.toContain(full.split(".")[2]);
  });

  it("starts loading the JWKS at cold start, before the first request", async () => {
    coldStart(environment(jwks.uri));
    for (let i = 0; i < 50 && jwks.requests === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(jwks.requests).toBe(1);
  });

  it("defaults to the user pool's Cognito JWKS when JWKS_URI is not set", () => {
    const settings = readLambdaEnvironment(environment(jwks.uri, { JWKS_URI: undefined }));
    expect(settings.jwksUri).toBe(`https://cognito-idp.eu-west-1.amazonaws.com/${USER_POOL_ID}/.well-known/jwks.json`);
    expect(settings.options.clientIds).toEqual([BILLING]);
    expect(settings.options.routes.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /payments", "GET /orders/{id}"]);
    expect(settings.options.routes[0]!.scopes).toEqual([`${RESOURCE_SERVER}/payments.read`, `${RESOURCE_SERVER}/payments.write`]);
  });

  it("reads the access file from /opt/access.json (the function's layer) unless ACCESS_FILE says otherwise", () => {
    const read: string[] = [];
    const settings = readLambdaEnvironment(environment(jwks.uri, { ACCESS_FILE: undefined }), (file) => {
      read.push(file);
      return JSON.stringify({ clientIds: ["other0client"], routes: ROUTES });
    });
    expect(read).toEqual(["/opt/access.json"]);
    expect(settings.options.clientIds).toEqual(["other0client"]);
  });
});

describe("key rotation", () => {
  const rotated = generateSigningKey("key-3");
  const SCOPES = scopeIds("payments.read", "payments.write");
  const refreshLines = () => logs.lines.map((l) => JSON.parse(l)).filter((l) => l.msg === "scope-check-jwks-refresh");

  it("a token with the new kid is 401 until a re-fetch is allowed, then Allow; the withdrawn key stops working", async () => {
    const mod = coldStart(environment(jwks.uri));
    const oldKeyToken = accessToken(key, BILLING, SCOPES);
    expect(await outcome(mod, oldKeyToken)).toBe("Allow");
    // Cognito rotates: a new key signs, the old one is withdrawn.
    jwks.body = JSON.stringify(jwksOf(rotated));
    const newKeyToken = accessToken(rotated, BILLING, SCOPES);
    for (let i = 0; i < 5; i++) expect(await outcome(mod, newKeyToken)).toBe("Unauthorized");
    const start = Date.now();
    const clock = jest.spyOn(Date, "now").mockReturnValue(start + mod.JWKS_REFRESH_INTERVAL_MS - 1_000);
    expect(await outcome(mod, newKeyToken)).toBe("Unauthorized");
    expect(jwks.requests).toBe(1);
    clock.mockReturnValue(start + mod.JWKS_REFRESH_INTERVAL_MS);
    expect(await outcome(mod, newKeyToken)).toBe("Allow");
    expect(jwks.requests).toBe(2);
    expect(await outcome(mod, newKeyToken)).toBe("Allow");
    // The old key's kid is now unknown: 401, and no new fetch within the interval.
    expect(await outcome(mod, oldKeyToken)).toBe("Unauthorized");
    expect(jwks.requests).toBe(2);
    expect(refreshLines()).toEqual([{ msg: "scope-check-jwks-refresh", outcome: "loaded", keys: 1 }]);
    const reasons = logs.lines.map((l) => JSON.parse(l)).filter((l) => l.decision === "unauthorized").map((l) => l.reason);
    expect(reasons).toEqual(Array(7).fill("unknown-kid"));
  });

  it("a burst of tokens with unknown kids makes at most one fetch, all stay 401, known keys keep working", async () => {
    const mod = coldStart(environment(jwks.uri));
    expect(await outcome(mod, accessToken(key, BILLING, SCOPES))).toBe("Allow");
    jest.spyOn(Date, "now").mockReturnValue(Date.now() + mod.JWKS_REFRESH_INTERVAL_MS);
    const claims = accessTokenClaims(BILLING, SCOPES);
    const burst = Array.from({ length: 40 }, (_, i) => signJwt({ kid: `made-up-${i}`, alg: "RS256" }, claims, stranger));
    expect(await Promise.all(burst.map((t) => outcome(mod, t)))).toEqual(Array(40).fill("Unauthorized"));
    expect(jwks.requests).toBe(2);
    expect(await Promise.all(burst.map((t) => outcome(mod, t)))).toEqual(Array(40).fill("Unauthorized"));
    expect(jwks.requests).toBe(2);
    expect(await outcome(mod, accessToken(key, BILLING, SCOPES))).toBe("Allow");
    expect(refreshLines()).toHaveLength(1);
    for (const token of burst.slice(0, 3)) expect(logs.lines.join("\n")).not.toContain(token.split(".")[2]);
  });

  it("a failed re-fetch keeps the loaded keys, refuses the unknown kid and is not retried within the interval", async () => {
    const mod = coldStart(environment(jwks.uri));
    const valid = accessToken(key, BILLING, SCOPES);
    const newKeyToken = accessToken(rotated, BILLING, SCOPES);
    expect(await outcome(mod, valid)).toBe("Allow"); // the cold-start load is done
    jwks.status = 503;
    jest.spyOn(Date, "now").mockReturnValue(Date.now() + mod.JWKS_REFRESH_INTERVAL_MS);
    expect(await outcome(mod, newKeyToken)).toBe("Unauthorized");
    expect(jwks.requests).toBe(2);
    expect(await outcome(mod, valid)).toBe("Allow");
    jwks.status = 200;
    jwks.body = JSON.stringify(jwksOf(key, rotated));
    expect(await outcome(mod, newKeyToken)).toBe("Unauthorized");
    expect(jwks.requests).toBe(2);
    expect(refreshLines()).toEqual([{ msg: "scope-check-jwks-refresh", outcome: "failed", reason: "jwks-unavailable", detail: `JWKS not loaded from ${jwks.uri}: HTTP status 503` }]);
  });
});

describe("fails closed", () => {
  it("when the JWKS server is down: every request 401, reason logged, no secrets", async () => {
    const down = await startJwksServer();
    const uri = down.uri;
    await new Promise((resolve) => down.server.close(resolve));
    const mod = coldStart(environment(uri));
    const token = accessToken(key, BILLING, scopeIds("payments.read", "payments.write"));
    expect(await outcome(mod, token)).toBe("Unauthorized");
    expect(await outcome(mod, token)).toBe("Unauthorized");
    const lines = logs.lines.map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ msg: "scope-check-setup-failed", reason: "jwks-unavailable" });
    expect(lines.slice(1)).toEqual([
      { msg: "scope-check", decision: "unauthorized", reason: "jwks-unavailable", route: "POST /payments" },
      { msg: "scope-check", decision: "unauthorized", reason: "jwks-unavailable", route: "POST /payments" },
    ]);
    for (const part of token.split(".")) expect(logs.lines.join("\n")).not.toContain(part);
  });

  it("retries a failed JWKS load at most once per RETRY_AFTER_MS, then serves", async () => {
    jwks.status = 503;
    const mod = coldStart(environment(jwks.uri));
    const token = accessToken(key, BILLING, scopeIds("payments.read", "payments.write"));
    expect(await outcome(mod, token)).toBe("Unauthorized");
    jwks.status = 200;
    expect(await outcome(mod, token)).toBe("Unauthorized");
    expect(jwks.requests).toBe(1);
    const later = Date.now() + mod.RETRY_AFTER_MS;
    jest.spyOn(Date, "now").mockReturnValue(later);
    expect(await outcome(mod, token)).toBe("Allow");
    expect(await outcome(mod, token)).toBe("Allow");
    expect(jwks.requests).toBe(2);
  });

  it.each([
    ["not JSON", "<html>"],
    ["not a JWKS", JSON.stringify({ keys: "none" })],
    ["a JWKS without keys", JSON.stringify({ keys: [] })],
    ["larger than 64 KB", JSON.stringify({ keys: [{ ...key.jwk, padding: "x".repeat(70_000) }] })],
  ])("when the JWKS document is %s", async (_name, body) => {
    jwks.body = body;
    const mod = coldStart(environment(jwks.uri));
    expect(await outcome(mod, accessToken(key, BILLING, scopeIds("payments.read", "payments.write")))).toBe("Unauthorized");
    expect(JSON.parse(logs.lines[0]!)).toMatchObject({ msg: "scope-check-setup-failed", reason: "jwks-unavailable" });
  });

  const access = (file: object) => ({ access: JSON.stringify(file) });
  it.each<[string, Record<string, string | undefined> & { access?: string }, string]>([
    ["USER_POOL_ID missing", { USER_POOL_ID: undefined }, "USER_POOL_ID: is not set"],
    ["USER_POOL_ID not a pool id", { USER_POOL_ID: "pool" }, "USER_POOL_ID: is not a Cognito user pool id"],
    ["RESOURCE_SERVER_ID missing", { RESOURCE_SERVER_ID: "" }, "RESOURCE_SERVER_ID: is not set"],
    ["the access file missing", { ACCESS_FILE: path.join(taskRoots, "none", "access.json") }, "access.json: cannot be read"],
    ["the access file not JSON", { access: "abc,def" }, "access.json: is not valid JSON"],
    ["the access file an array", { access: "[]" }, "access.json: must be a JSON object"],
    ["clientIds missing", access({ routes: ROUTES }), "access.json clientIds: must be a JSON array of client id strings"],
    ["clientIds an object", access({ clientIds: { a: 1 }, routes: ROUTES }), "access.json clientIds: must be a JSON array of client id strings"],
    ["routes not an array", access({ clientIds: [BILLING], routes: { method: "GET" } }), "access.json routes: must be a JSON array of routes"],
    ["a route with a bad method", access({ clientIds: [BILLING], routes: [{ method: "FETCH", path: "/a", scopes: ["s"] }] }), "routes[0]: method must be one of"],
    ["a route without scopes", access({ clientIds: [BILLING], routes: [{ method: "GET", path: "/a", scopes: [] }] }), "access.json routes[0]: scopes must be a non-empty array of scope names"],
    ["JWKS_URI over plain http to another host", { JWKS_URI: "http://example.com/jwks.json" }, "JWKS_URI: must be https"],
    ["JWKS_URI not a URL", { JWKS_URI: "jwks.json" }, "JWKS_URI: is not a URL"],
  ])("when %s: 401 on every request, no JWKS fetched", async (_name, { access: accessText, ...overrides }, detail) => {
    const mod = coldStart(environment(jwks.uri, overrides, accessText));
    expect(await outcome(mod, accessToken(key, BILLING, scopeIds("payments.read", "payments.write")))).toBe("Unauthorized");
    expect(await outcome(mod, accessToken(key, BILLING, scopeIds("payments.read", "payments.write")))).toBe("Unauthorized");
    const [setup, ...decisions] = logs.lines.map((l) => JSON.parse(l));
    expect(setup).toMatchObject({ msg: "scope-check-setup-failed", reason: "config-invalid" });
    expect(setup.detail.startsWith(detail)).toBe(true);
    expect(decisions.map((d) => d.reason)).toEqual(["config-invalid", "config-invalid"]);
    expect(jwks.requests).toBe(0);
  });
});

describe("loadJwks", () => {
  it("gives up after its time-out", async () => {
    const started = Date.now();
    await expect(loadJwks(jwks.uri.replace("/.well-known/jwks.json", "/hang"), 150)).rejects.toBeInstanceOf(JwksLoadError);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
