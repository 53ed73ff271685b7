/**
 * The scope checker's route table parses paths with the project's one path grammar
 * (model/paths.ts), so it accepts exactly what the config validation and API Gateway accept.
 */
import fc from "fast-check";
import { parsePath } from "../../model/paths";
import { ScopeCheckerConfigError } from "../../lambdas/scope-checker/errors";
import { compileRouteTable } from "../../lambdas/scope-checker/route-table";

function compileOne(path: unknown) {
  return compileRouteTable([{ method: "GET", path: path as string, scopes: ["s"] }]);
}

function problemOf(path: unknown): string | undefined {
  try {
    compileOne(path);
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(ScopeCheckerConfigError);
    return (err as Error).message;
  }
}

describe("paths", () => {
  // Characters API Gateway allows in literals, the parameter syntax, and ones it refuses.
  const character = fc.constantFrom("/", "a", "Z", "0", ".", "_", "-", "{", "}", "+", "*", "?", "~", ":", "@", "!", "$", "&", "'", "(", ")", ",", ";", "=", " ", "é");
  const pathArb = fc.oneof(
    fc.string({ unit: character, maxLength: 14 }).map((s) => `/${s}`),
    fc.array(fc.constantFrom("a", "b.c", "x_y-z", "{id}", "{proxy+}", "*", "a*", "~", "{a", "b}", ""), { maxLength: 4 }).map((s) => `/${s.join("/")}`),
    fc.string({ unit: character, maxLength: 6 }),
  );

  it("accepts exactly the paths parsePath accepts, and names parsePath's problem", () => {
    fc.assert(
      fc.property(pathArb, (path) => {
        const parsed = parsePath(path);
        const problem = problemOf(path);
        if ("problem" in parsed) return problem === `routes[0]: path ${JSON.stringify(path)} ${parsed.problem}`;
        return problem === undefined;
      }),
      { numRuns: 2000 },
    );
  });

  it.each(["/orders/*", "/orders/a*", "/files/~me", "/a:b", "/@home", "/it's", "/a,b"])("refuses %s: a literal character API Gateway does not allow", (path) => {
    const message = problemOf(path);
    expect(message).toBeDefined();
    expect(message!.startsWith(`routes[0]: path ${JSON.stringify(path)} segment "`)).toBe(true);
  });

  it("gives a readable line for the usual mistakes", () => {
    expect(problemOf("orders")).toBe('routes[0]: path "orders" must start with /');
    expect(problemOf("/a//b")).toBe('routes[0]: path "/a//b" must not contain an empty segment (//)');
    expect(problemOf("/{p+}/a")).toBe('routes[0]: path "/{p+}/a" greedy segment "{p+}" must be the last segment');
    expect(problemOf(7)).toBe("routes[0]: path must be a string, got 7");
  });

  it("names a route by the resource path API Gateway sends: a trailing slash is the same resource", () => {
    const table = compileRouteTable([{ method: "GET", path: "/orders/{id}/", scopes: ["s"] }]);
    expect(table.routes[0]).toMatchObject({ path: "/orders/{id}", label: "GET /orders/{id}", arnPattern: "GET/orders/*" });
    expect(table.indexOf("GET", "/orders/{id}")).toBe(0);
    expect(() =>
      compileRouteTable([
        { method: "GET", path: "/a", scopes: ["s"] },
        { method: "GET", path: "/a/", scopes: ["s"] },
      ]),
    ).toThrow("routes[1]: duplicate route GET /a");
  });

  it("builds ARN patterns with parameters as `*`, the root as an empty path", () => {
    const table = compileRouteTable([
      { method: "GET", path: "/", scopes: ["s"] },
      { method: "ANY", path: "/admin/{proxy+}", scopes: ["s"] },
      { method: "DELETE", path: "/v1.2/orders/{id}/lines/{line_no}", scopes: ["s"] },
    ]);
    expect(table.routes.map((r) => r.arnPattern)).toEqual(["GET/", "*/admin/*", "DELETE/v1.2/orders/*/lines/*"]);
  });
});
