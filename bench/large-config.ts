/**
 * A generated large config for the synth benchmark: 300 clients, 100 routes, 60 scopes, two
 * environments. Deterministic (no randomness), valid, and shaped like a real API: nested
 * paths with parameters, both authorizers, clients holding a few scopes each.
 * `platformConfig` is the platform-scale variant: the pool's 1,000 clients, every one admitted
 * by some scope-checker route, so all of them are on the scope checker's allow-list.
 */
import type { ClientInput, M2MConfigInput, MultiApiConfigInput, RouteInput } from "../model/config-types";

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
const VERBS = ["read", "write", "admin", "audit", "export", "import"] as const;
const METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"] as const;

/** The generated platform's API names: api-01, api-02, ... */
export function apiName(i: number): string {
  return `api-${String(i + 1).padStart(2, "0")}`;
}

/**
 * The several-API platform at scale: 25 APIs (Cognito's default quota of resource servers per
 * pool) of 40 routes each, 1,000 clients (app clients per pool), two environments.
 * Deterministic and valid. Each API has its own team; each client is sponsored by one API and
 * holds two of its scopes, and every 10th also holds a scope of the next API (a cross-team
 * grant). Every 10th route of an API uses the scope checker (all of two scopes). The synth and
 * report benchmarks and the report scale tests use it.
 */
export function platformApisConfig(apiCount = 25, routesPerApi = 40, clientCount = 1000): MultiApiConfigInput {
  const apis = Array.from({ length: apiCount }, (_, a) => {
    const routes: RouteInput[] = [];
    for (let r = 0; r < routesPerApi; r++) {
      const resource = `res${Math.floor(r / 4)}`;
      const path = [`/${resource}`, `/${resource}/{id}`, `/${resource}/{id}/items`, `/${resource}/{id}/items/{item}`][r % 4]!;
      const method = METHODS[Math.floor(r / 4) % METHODS.length]!;
      const checker = r % 10 === 9;
      routes.push({
        method,
        path,
        scopes: checker ? ["write", "audit"] : [method === "GET" ? "read" : "write", "admin"],
        ...(checker ? { authorizer: "scope-checker" as const } : {}),
        description: `${method} ${path} of ${apiName(a)}`,
        response: { status: 200, body: { api: a, route: r } },
      });
    }
    return {
      name: apiName(a),
      resourceServerName: `API ${a + 1}`,
      owners: [`@acme/team-${String(a + 1).padStart(2, "0")}`],
      scopes: VERBS.map((v) => ({ name: v, description: `${v} on ${apiName(a)}` })),
      routes,
    };
  });
  const clients: ClientInput[] = Array.from({ length: clientCount }, (_, i) => {
    const own = apiName(i % apiCount);
    const other = apiName((i + 1) % apiCount);
    const grants = i % 3 === 0 ? ["write", "audit"] : ["read", "admin"];
    return {
      name: `client-${String(i).padStart(4, "0")}`,
      description: `Client ${i}`,
      sponsor: own,
      scopes: [...grants, ...(i % 10 === 0 ? [`${other}:read`] : [])],
    };
  });
  return {
    name: "platform",
    owners: ["@acme/platform"],
    apis,
    clients,
    environments: [
      { name: "dev", region: "eu-west-1", domainPrefix: "platform-dev", stageName: "dev" },
      { name: "prod", region: "eu-west-1", domainPrefix: "platform-prod", stageName: "prod", deletionProtection: true },
    ],
  };
}
