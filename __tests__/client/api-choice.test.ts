/** Which API `m2m call METHOD PATH` means when the config has several and no --api was given. */
import { apiForRoute, routeServes } from "../../client/api-choice";
import { UsageError } from "../../client/usage-error";

describe("routeServes: path templates as API Gateway matches them", () => {
  it.each([
    ["GET /payments/{id}", "GET", "/payments/p-1", true],
    ["GET /payments/{id}", "get", "/payments/p-1?verbose=1", true],
    ["GET /payments/{id}", "GET", "/payments", false],
    ["GET /payments/{id}", "GET", "/payments/p-1/items", false],
    ["GET /payments/{id}", "POST", "/payments/p-1", false],
    ["ANY /files/{proxy+}", "DELETE", "/files/a/b/c", true],
    ["ANY /files/{proxy+}", "GET", "/files", false],
    ["GET /", "GET", "/", true],
    ["GET /", "GET", "/premium", false],
    ["POST /premium", "POST", "/premium/", true],
  ])("%s serves %s %s: %s", (route, method, path, serves) => {
    expect(routeServes(route, method, path)).toBe(serves);
  });
});

describe("apiForRoute", () => {
  const apis = [
    { name: "content", routes: ["GET /premium", "GET /status"] },
    { name: "payments", routes: ["GET /payments/{id}", "GET /status"] },
  ];

  it("names the one API serving the request", () => {
    expect(apiForRoute(apis, "GET", "/payments/p-1")).toBe("payments");
    expect(apiForRoute(apis, "GET", "/premium")).toBe("content");
  });

  it("is a usage error naming the APIs when none or several serve it", () => {
    expect(() => apiForRoute(apis, "GET", "/status")).toThrow(new UsageError("GET /status is a route of several APIs (content, payments): choose one with --api NAME"));
    expect(() => apiForRoute(apis, "POST", "/premium")).toThrow(new UsageError("no API has a route POST /premium: choose one with --api NAME (the config has: content, payments)"));
  });
});
