/** Route selection as API Gateway does it: literal > {param} > {proxy+}, exact method > ANY. */
import { createRouteTable } from "../../local/route-table";
import { modelWith } from "./local-test-kit";

const model = modelWith((c) => ({
  ...c,
  routes: [
    { method: "GET", path: "/orders", scopes: ["read"] },
    { method: "GET", path: "/orders/{id}", scopes: ["read"] },
    { method: "GET", path: "/orders/latest", scopes: ["read"] },
    { method: "GET", path: "/orders/{id}/items/{item}", scopes: ["read"] },
    { method: "ANY", path: "/files/{proxy+}", scopes: ["write"] },
    { method: "GET", path: "/files/{proxy+}", scopes: ["read"] },
    { method: "GET", path: "/files/readme", scopes: ["read"] },
  ],
}));
const table = createRouteTable(model.apis[0]!.routes);
const selected = (method: string, path: string) => {
  const match = table.match(method, path);
  return match && { route: `${match.route.method} ${match.route.path}`, params: match.pathParameters };
};

describe("createRouteTable", () => {
  it.each([
    ["GET", "/orders", "GET /orders", {}],
    ["GET", "/orders/", "GET /orders", {}],
    ["GET", "/orders/latest", "GET /orders/latest", {}],
    ["GET", "/orders/42", "GET /orders/{id}", { id: "42" }],
    ["GET", "/orders/a%20b", "GET /orders/{id}", { id: "a b" }],
    ["GET", "/orders/latest/items/7", "GET /orders/{id}/items/{item}", { id: "latest", item: "7" }],
    ["get", "/orders/9/items/x", "GET /orders/{id}/items/{item}", { id: "9", item: "x" }],
    ["GET", "/files/readme", "GET /files/readme", {}],
    ["GET", "/files/a/b/c", "GET /files/{proxy+}", { proxy: "a/b/c" }],
    ["DELETE", "/files/a/b", "ANY /files/{proxy+}", { proxy: "a/b" }],
    ["PUT", "/files/readme/x", "ANY /files/{proxy+}", { proxy: "readme/x" }],
  ])("%s %s -> %s", (method, path, route, params) => {
    expect(selected(method, path)).toEqual({ route, params });
  });

  it.each([
    ["POST", "/orders"], // resource exists, method does not
    ["GET", "/orders/42/extra"],
    ["GET", "/files"], // a greedy segment needs at least one segment
    ["GET", "/"],
    ["GET", "/nothing"],
  ])("%s %s -> no route (Missing Authentication Token)", (method, path) => {
    expect(table.match(method, path)).toBeUndefined();
  });
});
