/**
 * End to end on 127.0.0.1: the offline environment on a free port, the real token client, real
 * HTTP, and the full matrix of the default config — every client x every route, with and
 * without tokens — checked against the model's access rules.
 */
import { decideRouteAccess, scopeCheckerAllowList } from "../../model/access";
import { allRoutes } from "../../model/apis";
import { formatSmokeTable, runSmoke } from "../../client/smoke";
import { createTokenClient } from "../../client/token-client";
import type { LocalEnvironment } from "../../local/local-environment";
import type { M2MModel } from "../../model/model-types";
import { defaultModel, modelWith, smokeTargetOf as targetOf, startEnv } from "../local/local-test-kit";

const routesOf = (model: M2MModel) => allRoutes(model);
const devOf = (model: M2MModel) => model.environments.find((e) => e.name === "dev")!;
const PAYMENT = JSON.stringify({ amount: 4200, currency: "EUR", reference: "invoice-17" });

describe("the default config, offline", () => {
  let env: LocalEnvironment;
  beforeAll(async () => {
    env = await startEnv();
  });
  afterAll(() => env.close());

  const dev = devOf(defaultModel);
  const allowList = new Set(scopeCheckerAllowList(dev.clients, routesOf(defaultModel)).map((c) => c.name));

  it("refuses every route without a token (401, Bearer challenge)", async () => {
    for (const route of routesOf(defaultModel)) {
      const res = await fetch(`${env.apiUrl}${route.path}`, { method: route.method });
      expect({ route: route.key, status: res.status, challenge: res.headers.get("www-authenticate") }).toEqual({
        route: route.key,
        status: 401,
        challenge: `Bearer realm="${defaultModel.apis[0]!.name}"`,
      });
    }
  });

  it("answers every client x route as decideAccess says, with one token request per client", async () => {
    const before = env.metrics.requests;
    let allowed = 0;
    for (const client of dev.clients) {
      const credentials = env.credentials.clients.find((c) => c.name === client.name)!;
      const tokens = createTokenClient({ tokenEndpoint: env.tokenEndpoint, clientId: credentials.clientId, clientSecret: credentials.clientSecret });
      for (const route of routesOf(defaultModel)) {
        // A payment body: the mock routes ignore it, POST /payments (backends/payments.ts) accepts it.
        const init: { body?: string; headers: Record<string, string> } = route.method === "POST" ? { body: PAYMENT, headers: { "content-type": "application/json" } } : { headers: {} };
        const res = await fetch(`${env.apiUrl}${route.path}`, { method: route.method, ...init, headers: { ...init.headers, authorization: `Bearer ${await tokens.getToken()}` } });
        const body = await res.json();
        const decision = decideRouteAccess(client, route);
        const observed = { client: client.name, route: route.key, status: res.status };
        if (decision.allowed) {
          allowed++;
          if (route.backend.type === "mock") expect({ ...observed, body }).toEqual({ ...observed, status: route.response.status, body: route.response.body });
          // The real handler sees the client the authorizer let through.
          else expect({ ...observed, body }).toEqual({ ...observed, status: 202, body: expect.objectContaining({ status: "accepted", clientId: credentials.clientId, payment: JSON.parse(PAYMENT) }) });
        } else if (route.authorizer === "cognito") {
          expect(observed).toEqual({ ...observed, status: 401 });
        } else {
          // The scope checker refuses clients it does not know with 401, known clients lacking a scope with 403.
          expect(observed).toEqual({ ...observed, status: allowList.has(client.name) ? 403 : 401 });
        }
      }
    }
    expect(allowed).toBeGreaterThan(0); // the matrix exercises the allow path, not only refusals
    expect(env.metrics.requests - before).toBe(dev.clients.length);
  });

  it("passes m2m smoke's matrix: routes x (clients + no token), no mismatch", async () => {
    const report = await runSmoke({ model: defaultModel, environment: dev, target: targetOf(env) });
    expect(report.checks).toHaveLength(routesOf(defaultModel).length * (dev.clients.length + 1));
    expect(report.failed).toBe(0);
    const table = formatSmokeTable(report);
    expect(table.split("\n")).toHaveLength(report.checks.length + 2);
    expect(table).toMatch(/^ROUTE +CLIENT +EXPECTED +ACTUAL +RESULT$/m);
    expect(table).toMatch(/^POST \/premium +writer +201 \(allowed\) +HTTP 201 +ok$/m);
    // The real handler refuses smoke's sample body `{}` with 400: the gateway let billing through, which is what smoke checks.
    expect(table).toMatch(/^POST \/payments +billing +backend answers \(allowed\) +HTTP 400 +ok$/m);
    expect(table.endsWith(`${report.checks.length} checks, ${report.checks.length} passed, 0 failed`)).toBe(true);
  });

  it("catches drift: a model that grants reader `write` does not match this deployment", async () => {
    const drifted = modelWith((c) => ({ ...c, clients: c.clients.map((cl) => (cl.name === "reader" ? { ...cl, scopes: ["read", "write"] } : cl)) }));
    const report = await runSmoke({ model: drifted, environment: devOf(drifted), target: targetOf(env) });
    expect(report.checks.filter((c) => !c.passed).map((c) => `${c.client} ${c.route.key} ${c.actual}`)).toEqual(["reader post_premium HTTP 401"]);
    expect(formatSmokeTable(report)).toMatch(/^POST \/premium +reader +201 \(allowed\) +HTTP 401 +MISMATCH$/m);
  });

  it("fails the checks of a client whose credentials are missing", async () => {
    const target = targetOf(env);
    const credentials = new Map(target.credentials);
    credentials.delete("writer");
    const report = await runSmoke({ model: defaultModel, environment: dev, target: { ...target, credentials } });
    expect(report.failed).toBe(routesOf(defaultModel).length);
    expect(report.checks.filter((c) => !c.passed).every((c) => c.client === "writer" && c.actual === "no credentials")).toBe(true);
  });
});

describe("path parameters, ANY, a disabled client and a second scope-checker route, offline", () => {
  const model = modelWith((c) => ({
    ...c,
    routes: [
      ...c.routes,
      { method: "GET", path: "/payments/{id}", scopes: ["payments.read"], authorizer: "scope-checker", response: { status: 200, body: { state: "settled" } } },
      { method: "ANY", path: "/files/{proxy+}", scopes: ["read", "write"], response: { status: 200, body: { file: true } } },
      { method: "DELETE", path: "/orders/{id}", scopes: ["write", "payments.write"], response: { status: 204 } },
    ],
    clients: [
      ...c.clients.map((cl) => (cl.name === "writer" ? { ...cl, overrides: { dev: { disabled: true } } } : cl)),
      { name: "auditor", scopes: ["payments.read"] },
    ],
  }));

  it("passes the full smoke matrix, including 403 from the scope checker and a refused token", async () => {
    const env = await startEnv({ model });
    try {
      const dev = devOf(model);
      const report = await runSmoke({ model, environment: dev, target: targetOf(env) });
      expect(report.checks.filter((c) => !c.passed).map((c) => `${c.client} ${c.route.key} ${c.actual}`)).toEqual([]);
      expect(report.checks).toHaveLength(routesOf(model).length * (dev.clients.length + 1));
      const outcome = (client: string, key: string) => report.checks.find((c) => c.client === client && c.route.key === key)!.actual;
      expect(outcome("auditor", "post_payments")).toBe("HTTP 403");
      expect(outcome("auditor", "get_payments_id")).toBe("HTTP 200");
      expect(outcome("reader", "any_files_proxy-greedy")).toBe("HTTP 200");
      expect(outcome("writer", "delete_orders_id")).toBe("token refused: invalid_client (HTTP 400)");
      expect(outcome("billing", "delete_orders_id")).toBe("HTTP 204");
      expect(outcome("reader", "delete_orders_id")).toBe("HTTP 401");
    } finally {
      await env.close();
    }
  });
});
