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
