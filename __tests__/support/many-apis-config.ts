/**
 * A generated platform-scale config in the several-API form: 25 APIs (Cognito's default quota
 * of resource servers per pool) of 40 routes each, 1,000 clients (app clients per pool), two
 * environments. Deterministic and valid. Each API has its own team; each client is sponsored
 * by one API and holds two of its scopes, and every 10th also holds a scope of the next API
 * (a cross-team grant). Every 10th route of an API uses the scope checker (all of two scopes).
 * For the report benchmark and the report scale test; bench/large-config.ts (branch `cons`)
 * is the synth benchmark's generator of the same shape.
 */
import type { ClientInput, MultiApiConfigInput, RouteInput } from "../../model/config-types";

const VERBS = ["read", "write", "admin", "audit", "export", "import"] as const;
const METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"] as const;

export function apiName(i: number): string {
  return `api-${String(i + 1).padStart(2, "0")}`;
}

export function manyApisConfig(apiCount = 25, routesPerApi = 40, clientCount = 1000): MultiApiConfigInput {
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
