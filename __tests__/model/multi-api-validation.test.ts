/**
 * Several APIs behind one authorization server (issue 11): the `apis` form, team files merged
 * by the loader, grants across APIs, and the cross-file rules, each problem located in the file
 * that holds it, every problem of every file in one list.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import defaultConfig from "../../m2m.config";
import { allRoutes } from "../../model/apis";
import { ConfigLoadError, loadConfigFile } from "../../model/load-config";
import { ConfigValidationError, formatProblem } from "../../model/problems";
import { grantLabel, parseGrant } from "../../model/scope-grants";
import { validateConfig } from "../../model/validate";

const ROOT = path.resolve(__dirname, "..", "..");

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems.map(formatProblem);
    throw error;
  }
  throw new Error("expected the config to be invalid");
}

const ENVIRONMENTS = [{ name: "dev", region: "eu-west-1", domainPrefix: "team-test-dev", stageName: "dev" }];
const api = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  resourceServerName: `${name} API`,
  owners: [`@acme/${name}-team`],
  scopes: [
    { name: "read", description: "Read" },
    { name: "write", description: "Write" },
  ],
  routes: [{ method: "GET", path: `/${name}`, scopes: ["read"] }],
  ...extra,
});
const config = (extra: Record<string, unknown> = {}) => ({ name: "team-test", owners: ["@acme/platform"], apis: [api("orders"), api("invoices")], clients: [], environments: ENVIRONMENTS, ...extra });

/** A project directory with a main config and team files (name -> TypeScript source). */
function project(main: Record<string, unknown>, teams: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "m2m-teams-"));
  fs.mkdirSync(path.join(dir, "apis"));
  fs.writeFileSync(path.join(dir, "m2m.config.ts"), `export default ${JSON.stringify(main)};\n`);
  for (const [name, source] of Object.entries(teams)) fs.writeFileSync(path.join(dir, "apis", name), source);
  return path.join(dir, "m2m.config.ts");
}
const teamFile = (body: Record<string, unknown>) => `export default ${JSON.stringify(body)};\n`;

describe("the default config: two teams' APIs, one client on both", () => {
  const model = validateConfig(defaultConfig);

  test("two APIs with their own owners and routes, one pool's clients across them", () => {
    expect(model).toMatchObject({ name: "m2m-demo", layout: "multi-api", owners: ["@acme/platform"] });
    expect(model.apis.map((a) => [a.name, a.owners, a.routes.length])).toEqual([
      ["content", ["@acme/content-team"], 3],
      ["payments", ["@acme/payments-team"], 2],
    ]);
    expect(allRoutes(model).every((r) => ["content", "payments"].includes(r.api))).toBe(true);
    expect(model.apis[1]!.backendFunctions.map((f) => [f.api, f.key])).toEqual([["payments", "payments"]]);
  });

  test("grants name their API; the client on both APIs holds one scope on each", () => {
    const finance = model.environments[0]!.clients.find((c) => c.name === "finance-reports")!;
    expect(finance.scopes).toEqual([
      { api: "content", scope: "read" },
      { api: "payments", scope: "read" },
    ]);
    expect(finance.scopes.map((g) => grantLabel(g, model.layout))).toEqual(["content:read", "payments:read"]);
    expect(model.environments[0]!.clients.find((c) => c.name === "billing")!.sponsor).toBe("payments");
  });
});

describe("grant notation", () => {
  const several = { layout: "multi-api" as const, apis: ["orders", "invoices"] };
  test.each([
    ["orders:read", several, { api: "orders", scope: "read" }],
    ["read", { ...several, sponsor: "invoices" }, { api: "invoices", scope: "read" }],
    ["read", { layout: "multi-api" as const, apis: ["orders"] }, { api: "orders", scope: "read" }],
    // The one-API form never splits: a colon is a legal character of a Cognito scope name.
    ["a:b", { layout: "single-api" as const, apis: ["orders"] }, { api: "orders", scope: "a:b" }],
  ])("%s", (text, context, expected) => expect(parseGrant(text, context)).toEqual(expected));
  test("a bare name with several APIs and no sponsor is refused, naming the APIs", () => {
    expect(parseGrant("read", several)).toEqual({ problem: "must name its API as <api>:<scope> (the config defines several APIs: orders, invoices)" });
  });
});

describe("the per-team layout (examples/per-team)", () => {
  const model = validateConfig(loadConfigFile(path.join(ROOT, "examples", "per-team", "m2m.config.ts")));

  test("each team file is one API, in file-name order, with its file and its sponsored clients", () => {
    expect(model.apis.map((a) => [a.name, a.sourceFile, a.owners])).toEqual([
      ["invoices", "apis/invoices.m2m.ts", ["@acme/billing-team"]],
      ["orders", "apis/orders.m2m.ts", ["@acme/orders-team"]],
    ]);
    const clients = model.environments[0]!.clients.map((c) => [c.name, c.sponsor, c.scopes.map((g) => grantLabel(g, model.layout))]);
    expect(clients).toEqual([
      ["platform-audit", undefined, ["orders:read", "invoices:read"]],
      // A bare name in a team's file is that team's scope; orders:read is a cross-team grant.
      ["invoicer", "invoices", ["invoices:issue", "invoices:read", "orders:read"]],
      ["webshop", "orders", ["orders:read", "orders:place-order"]],
    ]);
  });
});

describe("cross-file rules: one problem list, each problem in its file", () => {
  test("every problem of the main file and the team files at once", () => {
    const file = project(
      { ...config({ apis: [api("orders")] }), apiFiles: "apis", clients: [{ name: "shared", scopes: ["read"] }, { name: "c2", scopes: ["nope:read", "orders:delete"] }] },
      {
        "orders.m2m.ts": teamFile({ ...api("orders"), owners: ["nobody"], routs: [], clients: [{ name: "shared", scopes: ["wrong"] }] }),
        "refunds.m2m.ts": teamFile({ ...api("refunds"), routes: [{ method: "GET", path: "/r", scopes: ["reed"] }] }),
      },
    );
    expect(problemsOf(() => validateConfig(loadConfigFile(file)))).toEqual([
      'apis/orders.m2m.ts: owners[0]: must be a GitHub user or team (@user, @org/team) or an e-mail address (CODEOWNERS) (got "nobody")',
      'apis/orders.m2m.ts: routs: is not a known field; did you mean "routes"? (got [])',
      'apis/orders.m2m.ts: name: API name must be unique (also at m2m.config.ts apis[0].name) (got "orders")',
      'apis/refunds.m2m.ts: routes[0].scopes[0]: must name a scope of API "refunds" defined in apis/refunds.m2m.ts: scopes (read, write); did you mean "read"? (got "reed")',
      'apis/orders.m2m.ts: clients[0].name: client name must be unique (also at m2m.config.ts clients[0].name) (got "shared")',
      'clients[0].scopes[0]: must name its API as <api>:<scope> (the config defines several APIs: orders, refunds) (got "read")',
      'clients[1].scopes[0]: must name an API defined in apis (orders, refunds) before : (got "nope:read")',
      'clients[1].scopes[1]: must name a scope of API "orders" defined in m2m.config.ts apis[0].scopes (read, write) (got "orders:delete")',
      'apis/orders.m2m.ts: clients[0].scopes[0]: must name a scope of API "orders" defined in m2m.config.ts apis[0].scopes (read, write) (got "wrong")',
    ]);
  });

  test("the one-API form and the several-API form cannot be mixed", () => {
    const mixed = { ...config(), api: { name: "x", resourceServerName: "X", scopes: [{ name: "read", description: "r" }] }, routes: [{ method: "GET", path: "/x", scopes: ["read"] }] };
    expect(problemsOf(() => validateConfig(mixed))).toContainEqual(expect.stringMatching(/^\(config\): holds both the one-API form \(api, routes\) and the several-API form \(apis, apiFiles\)/));
  });

  test("apiFiles is merged by the loader: a config built in code that names it is refused", () => {
    expect(problemsOf(() => validateConfig(config({ apiFiles: "apis" })))).toContain(
      'apiFiles: is read by the config loader (loadConfigFile), which merges the team files into apis: load this config from its file (got "apis")',
    );
  });

  test("sponsor, movedFromSingleApi and owners are checked", () => {
    const bad = config({
      apis: [api("orders", { movedFromSingleApi: true }), api("invoices", { movedFromSingleApi: true, owners: [] })],
      clients: [{ name: "c", sponsor: "shipping", scopes: ["orders:read"] }],
    });
    expect(problemsOf(() => validateConfig(bad))).toEqual([
      "apis[1].owners: must name at least one owner (who reviews changes to it) (got [])",
      "apis[1].movedFromSingleApi: may be set on one API only (the one-API form had one API; also set at apis[0]) (got true)",
      'clients[0].sponsor: must name an API defined in apis (orders, invoices) (got "shipping")',
    ]);
  });

  test("Cognito's quotas hold for the whole pool: 25 resource servers, 50 scopes per app client across APIs", () => {
    const apis = Array.from({ length: 26 }, (_, i) => api(`api-${i}`, { scopes: [{ name: "read", description: "r" }, { name: "write", description: "w" }] }));
    const scopes = apis.flatMap((a) => [`${a.name}:read`, `${a.name}:write`]).slice(0, 51);
    const problems = problemsOf(() => validateConfig(config({ apis, clients: [{ name: "wide", scopes }] })));
    expect(problems).toContain('apis: must define at most 25 APIs: each is a resource server of the one user pool (Cognito quota per user pool) (got "26 APIs")');
    expect(problems).toContain("clients[0].scopes: must allow at most 50 scopes (Cognito quota per app client, every API's scopes together) (got \"51 scopes\")");
  });

  test("a scope identifier is checked against 256 characters per API (its own invoke URL)", () => {
    const long = "s".repeat(198); // 58-character invoke URL + "/" + 198 = 257
    const problems = problemsOf(() => validateConfig(config({ apis: [api("orders"), api("invoices", { scopes: [{ name: long, description: "long" }], routes: [{ method: "GET", path: "/i", scopes: [long] }] })] })));
    expect(problems).toEqual([expect.stringMatching(/^apis\[1\]\.scopes\[0\]\.name: makes a 257-character scope identifier in environment dev/)]);
  });

  test("two APIs may serve the same path: each has its own REST API", () => {
    const model = validateConfig(config({ apis: [api("orders", { routes: [{ method: "GET", path: "/x", scopes: ["read"] }] }), api("invoices", { routes: [{ method: "GET", path: "/x", scopes: ["read"] }] })] }));
    expect(allRoutes(model).map((r) => `${r.api} ${r.key}`)).toEqual(["orders get_x", "invoices get_x"]);
  });
});

describe("loading team files", () => {
  test("a missing apiFiles directory is one line naming it", () => {
    const file = project({ ...config(), apiFiles: "teams" }, {});
    expect(() => loadConfigFile(file)).toThrow(new ConfigLoadError(file, "unloadable", 'apiFiles names "teams", which is not a directory next to it'));
  });

  test("a team file without a default export says so, with its own file name and defineApi", () => {
    const file = project({ ...config(), apiFiles: "apis" }, { "orders.m2m.ts": "export const api = {};\n", "shipping.m2m.ts": "const api = {};\n" });
    expect(() => loadConfigFile(file)).toThrow(ConfigLoadError);
    try {
      loadConfigFile(file);
    } catch (error) {
      expect((error as ConfigLoadError).details).toEqual([expect.stringMatching(/^apis\/orders\.m2m\.ts:1:1: exports a binding: a config exports only its default/)]);
    }
    fs.unlinkSync(path.join(path.dirname(file), "apis", "orders.m2m.ts"));
    expect(() => loadConfigFile(file)).toThrow("cannot load apis/shipping.m2m.ts: has no default export: write export default defineApi({ ... })");
  });

  test("files not named *.m2m.ts are not team files", () => {
    const file = project({ ...config(), apiFiles: "apis" }, { "notes.ts": "export default 1;\n", "shipping.m2m.ts": teamFile(api("shipping")) });
    expect(validateConfig(loadConfigFile(file)).apis.map((a) => a.name)).toEqual(["orders", "invoices", "shipping"]);
  });
});
