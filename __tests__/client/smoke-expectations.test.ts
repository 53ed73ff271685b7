/**
 * The smoke test's expectations for the default config, spelled out: they must follow from the
 * model's access rules (decideAccess + the scope checker's allow-list), and here is what that means.
 */
import { expectationFor, samplePath, sampleRequest } from "../../client/smoke-expectations";
import { allRoutes } from "../../model/apis";
import { defaultModel, modelWith, twoApiModel, twoApiModelWith } from "../local/local-test-kit";

const dev = defaultModel.environments.find((e) => e.name === "dev")!;
const route = (key: string) => allRoutes(defaultModel).find((r) => `${r.method} ${r.path}` === key)!;
const client = (name: string, clients = dev.clients) => clients.find((c) => c.name === name)!;
const expected = (name: string, key: string) => {
  const e = expectationFor(client(name), route(key), dev.clients, allRoutes(defaultModel));
  return e.kind === "status" ? `${e.status} ${e.reason}` : e.kind === "backend" ? `backend ${e.reason}` : `token refused (${e.reason})`;
};

describe("smoke expectations for the default config", () => {
  it.each([
    ["3rd-party", "GET /hello-world", "200 allowed"],
    ["3rd-party", "GET /premium", "401 missing scope"],
    ["reader", "GET /premium", "200 allowed"],
    ["reader", "POST /premium", "401 missing scope"],
    ["writer", "POST /premium", "201 allowed"],
    ["writer", "POST /payments", "401 not on allow-list"],
    ["billing", "POST /payments", "backend allowed"],
    ["billing", "GET /hello-world", "401 missing scope"],
  ])("%s -> %s: %s", (name, key, outcome) => {
    expect(expected(name, key)).toBe(outcome);
  });

  it("expects 403 from the scope checker for a client on its allow-list that lacks one scope", () => {
    const model = modelWith((c) => ({ ...c, routes: [...c.routes, { method: "GET", path: "/payments/{id}", scopes: ["payments.read"], authorizer: "scope-checker" }], clients: [...c.clients, { name: "auditor", scopes: ["payments.read"] }] }));
    const env = model.environments.find((e) => e.name === "dev")!;
    const payments = allRoutes(model).find((r) => r.method === "POST" && r.path === "/payments")!;
    expect(expectationFor(client("auditor", env.clients), payments, env.clients, allRoutes(model))).toEqual({ kind: "status", status: 403, reason: "missing scope" });
  });

  it("expects a disabled client to be refused a token, with no particular OAuth error code", () => {
    const model = modelWith((c) => ({ ...c, clients: c.clients.map((cl) => (cl.name === "billing" ? { ...cl, overrides: { dev: { disabled: true } } } : cl)) }));
    const env = model.environments.find((e) => e.name === "dev")!;
    for (const r of allRoutes(model)) {
      expect(expectationFor(client("billing", env.clients), r, env.clients, allRoutes(model))).toEqual({ kind: "token-refused", reason: "client disabled" });
    }
  });

  it("sends `{}` as application/json with methods that take a body, nothing with the others", () => {
    for (const method of ["POST", "PUT", "PATCH"]) expect(sampleRequest(method)).toEqual({ headers: { "content-type": "application/json" }, body: "{}" });
    for (const method of ["GET", "HEAD", "DELETE", "OPTIONS"]) expect(sampleRequest(method)).toEqual({ headers: {} });
  });

  it("fills path parameters with sample values", () => {
    expect(samplePath("/orders/{id}/items/{item}")).toBe("/orders/smoke-id/items/smoke-item");
    expect(samplePath("/files/{proxy+}")).toBe("/files/smoke/proxy");
    expect(samplePath("/hello-world")).toBe("/hello-world");
  });
});

describe("smoke expectations across two APIs (the default config)", () => {
  const twoDev = twoApiModel.environments.find((e) => e.name === "dev")!;
  const routeOf = (api: string, key: string) => allRoutes(twoApiModel).find((r) => r.api === api && `${r.method} ${r.path}` === key)!;
  const outcome = (name: string, api: string, key: string) => {
    const e = expectationFor(client(name, twoDev.clients), routeOf(api, key), twoDev.clients, allRoutes(twoApiModel));
    return e.kind === "status" ? `${e.status} ${e.reason}` : e.kind === "backend" ? `backend ${e.reason}` : `token refused (${e.reason})`;
  };

  it.each([
    // Same short name, other API: content's `read` is not payments' `read`.
    ["reader", "payments", "GET /payments/{id}", "401 no scope on this API"],
    ["reader", "payments", "POST /payments", "401 no scope on this API"],
    ["billing", "content", "GET /premium", "401 no scope on this API"],
    ["billing", "payments", "GET /payments/{id}", "200 allowed"],
    ["finance-reports", "content", "GET /premium", "200 allowed"],
    ["finance-reports", "payments", "GET /payments/{id}", "200 allowed"],
    ["finance-reports", "content", "POST /premium", "401 missing scope"],
    // It holds payments:read, not write: POST /payments admits it nowhere, so payments' scope checker does not know it.
    ["finance-reports", "payments", "POST /payments", "401 not on allow-list"],
  ])("%s -> %s %s: %s", (name, api, key, expectation) => {
    expect(outcome(name, api, key)).toBe(expectation);
  });

  it("builds each API's allow-list from that API's routes: 403 for a client known to payments' scope checker lacking a scope", () => {
    const model = twoApiModelWith((c) => ({
      ...c,
      apis: c.apis!.map((a) => (a.name === "payments" ? { ...a, routes: [...a.routes!, { method: "GET", path: "/refunds", scopes: ["read"], authorizer: "scope-checker" }] } : a)),
    }));
    const env = model.environments.find((e) => e.name === "dev")!;
    const post = allRoutes(model).find((r) => r.api === "payments" && r.path === "/payments" && r.method === "POST")!;
    expect(expectationFor(client("finance-reports", env.clients), post, env.clients, allRoutes(model))).toEqual({ kind: "status", status: 403, reason: "missing scope" });
    // A content-only client is on no allow-list of payments.
    expect(expectationFor(client("writer", env.clients), post, env.clients, allRoutes(model))).toEqual({ kind: "status", status: 401, reason: "no scope on this API" });
  });
});
