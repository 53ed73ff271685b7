/**
 * A generated large config for the synth benchmark: 300 clients, 100 routes, 60 scopes, two
 * environments. Deterministic (no randomness), valid, and shaped like a real API: nested
 * paths with parameters, both authorizers, clients holding a few scopes each.
 */
import type { ClientInput, M2MConfigInput, RouteInput } from "../model/config-types";

export function largeConfig(clientCount = 300, routeCount = 100): M2MConfigInput {
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
    // Every 15th client holds a scope-checker pair: the allow-list stays within Lambda's 4 KB.
    const extra = i % 15 === 0 ? [`${resource}.write`, `${resource}.audit`] : [`${resource}.read`];
    clients.push({ name: `client-${String(i).padStart(3, "0")}`, scopes: [...new Set([...extra, `${resources[(i + 3) % resources.length]}.read`])] });
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
