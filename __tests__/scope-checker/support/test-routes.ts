/**
 * A scope-checker route table with the shapes that make cache-safe policies hard: path
 * parameters under which other routes nest, a greedy ANY route, the root, and all-of scopes.
 */
import { RESOURCE_SERVER } from "./cognito-tokens";

export const SCOPE_NAMES = ["payments.read", "payments.write", "orders.read", "orders.list", "orders.write", "refunds.read", "admin", "hello"] as const;

export const ROUTES_BY_NAME = [
  { method: "POST", path: "/payments", scopes: ["payments.read", "payments.write"] },
  { method: "GET", path: "/orders", scopes: ["orders.read", "orders.list"] },
  { method: "GET", path: "/orders/{id}", scopes: ["orders.read"] },
  { method: "DELETE", path: "/orders/{id}", scopes: ["orders.write"] },
  { method: "GET", path: "/orders/{id}/refunds", scopes: ["orders.read", "refunds.read"] },
  { method: "ANY", path: "/admin/{proxy+}", scopes: ["admin"] },
  { method: "GET", path: "/", scopes: ["hello"] },
] as const;

/** As createHandler takes them: full scope identifiers. */
export const TEST_ROUTES = ROUTES_BY_NAME.map((r) => ({ method: r.method, path: r.path, scopes: r.scopes.map((s) => `${RESOURCE_SERVER}/${s}`) }));

/** Concrete request paths for a route, including values that spell other routes' literals. */
export function requestPathsOf(path: string): string[] {
  const values = ["1", "orders", "refunds", "admin", "payments"];
  const greedyValues = ["x", "orders/1/refunds", "a/b/c", "payments"];
  if (!path.includes("{")) return [path];
  return path.includes("+}")
    ? greedyValues.map((v) => path.replace(/\{[^}]+\+\}/, v))
    : values.map((v) => path.replace(/\{[^}]+\}/g, v));
}

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/** How many clients and routes the platform-scale variants of the corpus and fuzz tests use. */
export const PLATFORM_CLIENTS = 1000;
export const PLATFORM_ROUTES = 200;

/** A platform-sized allow-list: 999 other 26-character client ids, then `clientIds` (last, the worst case for a list scan). */
export function platformAllowList(...clientIds: string[]): string[] {
  const others = Array.from({ length: PLATFORM_CLIENTS - clientIds.length }, (_, i) => `platform0client${String(i).padStart(11, "0")}`);
  return [...others, ...clientIds];
}

/** TEST_ROUTES followed by other services' routes (own scopes, nested parameters) up to PLATFORM_ROUTES. */
export function platformRoutes(): { method: string; path: string; scopes: string[] }[] {
  const methods = ["GET", "POST", "PUT", "DELETE"];
  const extra = Array.from({ length: PLATFORM_ROUTES - TEST_ROUTES.length }, (_, i) => {
    const service = `svc${Math.floor(i / 8)}`;
    const path = [`/${service}/items`, `/${service}/items/{id}`][Math.floor(i / 4) % 2]!;
    return { method: methods[i % 4]!, path, scopes: [`${RESOURCE_SERVER}/${service}.use`, `${RESOURCE_SERVER}/${service}.${methods[i % 4]!.toLowerCase()}`] };
  });
  return [...TEST_ROUTES.map((r) => ({ ...r, scopes: [...r.scopes] })), ...extra];
}
