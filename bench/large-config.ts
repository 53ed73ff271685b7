/**
 * A generated large config for the synth benchmark: 300 clients, 100 routes, 60 scopes, two
 * environments. Deterministic (no randomness), valid, and shaped like a real API: nested
 * paths with parameters, both authorizers, clients holding a few scopes each.
 * `platformConfig` is the platform-scale variant: the pool's 1,000 clients, every one admitted
 * by some scope-checker route, so all of them are on the scope checker's allow-list.
 */
import type { ClientInput, M2MConfigInput, RouteInput } from "../model/config-types";

export interface LargeConfigOptions {
  /** Every n-th client holds a scope-checker route's scopes (1: every client). @default 15 */
  readonly checkerClientEvery?: number;
}

/** 1,000 clients (Cognito's default quota per pool), all on the scope checker's allow-list. */
export function platformConfig(clientCount = 1000, routeCount = 100): M2MConfigInput {
  return largeConfig(clientCount, routeCount, { checkerClientEvery: 1 });
}

export function largeConfig(clientCount = 300, routeCount = 100, options: LargeConfigOptions = {}): M2MConfigInput {
  const checkerClientEvery = options.checkerClientEvery ?? 15;
  const resources = ["orders", "invoices", "customers", "shipments", "products", "refunds", "reports", "accounts", "payments", "webhooks"];
  const scopes = resources.flatMap((r) => ["read", "write", "admin", "audit", "export", "import"].map((verb) => ({ name: `${r}.${verb}`, description: `${verb} ${r}` })));
  const methods = ["GET", "POST", "PUT", "DELETE", "PATCH"] as const;
  const routes: RouteInput[] = [];
  for (let i = 0; routes.length < routeCount; i++) {
    const resource = resources[i % resources.length]!;
    const depth = Math.floor(i / resources.length) % 3;
    const path = [`/${resource}`, `/${resource}/{id}`, `/${resource}/{id}/items`][depth]!;
    const method = methods[Math.floor(i / (resources.length * 3)) % methods.length]!;
    const checker = i % 10 === 9;
    routes.push({
      method,
      path: `${path}${Math.floor(i / (resources.length * 3 * methods.length)) ? `/v${i}` : ""}`,
      scopes: checker ? [`${resource}.write`, `${resource}.audit`] : [`${resource}.${method === "GET" ? "read" : "write"}`, `${resource}.admin`],
      ...(checker ? { authorizer: "scope-checker" as const } : {}),
      response: { status: 200, body: { resource, index: i } },
    });
  }
  const clients: ClientInput[] = [];
  for (let i = 0; i < clientCount; i++) {
    const resource = resources[i % resources.length]!;
    // Every n-th client holds the scope-checker routes' pair (they are the webhooks routes:
    // every 10th route); the others call native-authorizer routes only.
    const extra = i % checkerClientEvery === 0 ? ["webhooks.write", "webhooks.audit", `${resource}.read`] : [`${resource}.read`];
    clients.push({ name: `client-${String(i).padStart(clientCount > 1000 ? 4 : 3, "0")}`, scopes: [...new Set([...extra, `${resources[(i + 3) % resources.length]}.read`])] });
  }
  return {
    api: { name: "large-api", resourceServerName: "Large API", scopes },
    routes,
    clients,
    environments: [
      { name: "dev", region: "eu-west-1", domainPrefix: "large-api-dev", stageName: "dev" },
      { name: "prod", region: "eu-west-1", domainPrefix: "large-api-prod", stageName: "prod", deletionProtection: true },
    ],
  };
}

/** Route resources of each generated API (5 × 4 paths × 2 methods = 40 routes). */
const API_RESOURCES = ["items", "orders", "events", "reports", "settings"];

/**
 * The several-API platform at scale: `apiCount` APIs of `routesPerApi` routes each (both
 * authorizers, nested paths with parameters), four scopes per API, and `clientCount` clients
 * in one pool, each granted read on three APIs; every fifth also holds its first API's
 * scope-checker pair (so each API's checker admits a share of the pool). Deterministic, valid.
 */
export function platformApisConfig(apiCount = 25, routesPerApi = 40, clientCount = 1000): M2MConfigInput {
  const apiName = (k: number) => `api-${String(k).padStart(2, "0")}`;
  const apis = Array.from({ length: apiCount }, (_, k) => {
    const routes: RouteInput[] = [];
    for (let i = 0; routes.length < routesPerApi; i++) {
      const resource = API_RESOURCES[i % API_RESOURCES.length]!;
      const shape = Math.floor(i / API_RESOURCES.length) % 4;
      const method = Math.floor(i / (API_RESOURCES.length * 4)) % 2 === 0 ? "GET" : "POST";
      const version = Math.floor(i / (API_RESOURCES.length * 8));
      const path = [`/${resource}`, `/${resource}/{id}`, `/${resource}/{id}/history`, `/${resource}/{id}/lines`][shape]! + (version > 0 ? `/v${version}` : "");
      const checker = i % 8 === 7;
      routes.push({
        method,
        path,
        scopes: checker ? ["write", "audit"] : [method === "GET" ? "read" : "write"],
        ...(checker ? { authorizer: "scope-checker" as const } : {}),
        response: { status: 200, body: { api: k, index: i } },
      });
    }
    return {
      name: apiName(k),
      resourceServerName: `Generated API ${k}`,
      owners: [`@acme/team-${String(k).padStart(2, "0")}`],
      scopes: ["read", "write", "admin", "audit"].map((verb) => ({ name: verb, description: `${verb} of API ${k}` })),
      routes,
    };
  });
  const clients: ClientInput[] = [];
  for (let i = 0; i < clientCount; i++) {
    const on = [i % apiCount, (i + 7) % apiCount, (i + 13) % apiCount].map(apiName);
    const checker = i % 5 === 0 ? [`${on[0]}:write`, `${on[0]}:audit`] : [];
    clients.push({ name: `client-${String(i).padStart(4, "0")}`, scopes: [...new Set([...on.map((a) => `${a}:read`), ...checker])] });
  }
  return {
    name: "platform",
    owners: ["@acme/platform"],
    apis,
    clients,
    environments: [
      { name: "dev", region: "eu-west-1", domainPrefix: "platform-apis-dev", stageName: "dev" },
      { name: "prod", region: "eu-west-1", domainPrefix: "platform-apis-prod", stageName: "prod", deletionProtection: true },
    ],
  } as M2MConfigInput;
}
