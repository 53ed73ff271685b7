/**
 * The reports at platform scale: 25 APIs x 40 routes and 1,000 clients (Cognito's default
 * quotas of resource servers and app clients per pool; bench/large-config.ts, platformApisConfig).
 * Every report file is built, and the access diff of a cross-team grant computed, well within
 * generous bounds (they take about 1-2 s here; they catch quadratic behaviour, not noise), and
 * every cell is checked against model/access.ts.
 */
import { decideRouteAccess } from "../../model/access";
import { validateConfig } from "../../model/validate";
import { diffModels } from "../../reports/access-diff";
import { cellOf, platformAccess, routeId } from "../../reports/environment-access";
import { environmentReportFiles } from "../../reports/report-files";
import { platformApisConfig } from "../../bench/large-config";

const BOUND_MS = 15_000;

function timed<T>(work: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = work();
  return { result, ms: performance.now() - start };
}

describe("reports of a 25-API, 1,000-route, 1,000-client config", () => {
  const model = validateConfig(platformApisConfig());

  it("decides every cell as model/access.ts does, each API listing only the clients holding its scopes", () => {
    const env = model.environments[0]!;
    const { result: dev, ms } = timed(() => platformAccess(model, env));
    expect(ms).toBeLessThan(BOUND_MS);
    expect(dev.apis).toHaveLength(25);
    expect(dev.clients).toHaveLength(1000);
    const cells = model.apis.flatMap((api, i) =>
      env.clients.filter((c) => c.scopes.some((g) => g.api === api.name)).flatMap((client) => api.routes.map((route) => ({ i, client, route }))),
    );
    expect(cells.length).toBeGreaterThan(40_000);
    expect(cells.map(({ i, client, route }) => cellOf(dev.apis[i]!, client.name, routeId(route))?.decision)).toEqual(
      cells.map(({ client, route }) => decideRouteAccess(client, route)),
    );
    // Every 10th client holds a scope of the next team's API: it may call routes there too.
    expect(new Set(dev.clients.find((c) => c.name === "client-0010")!.mayCall.map((r) => r.split(" ")[0]))).toEqual(new Set(["api-11", "api-12"]));
  });

  it("writes every report file well within the bound: per environment access.md, access.json, 25 OpenAPI documents; one central view", () => {
    const { result: files, ms } = timed(() => environmentReportFiles(model));
    expect(ms).toBeLessThan(BOUND_MS);
    expect(files).toHaveLength(2 * (2 + 25) + 1);
    expect(files.at(-1)!.path).toBe("access.html");
    expect(files.find((f) => f.path === "access.html")!.content.match(/<tr data-env=/g)).toHaveLength(2 * (1000 + 1000 + 25 * 6));
  });

  it("diffs a cross-team grant at that scale well within the bound, naming only the API it touches", () => {
    const config = platformApisConfig() as any;
    config.clients.find((c: { name: string }) => c.name === "client-0001").scopes.push("api-07:write");
    const head = validateConfig(config);
    const { result: diff, ms } = timed(() => diffModels(model, head));
    expect(ms).toBeLessThan(BOUND_MS);
    const dev = diff.environments.find((e) => e.environment === "dev")!;
    expect(dev.apis!.map((a) => a.api)).toEqual(["api-07"]);
    expect(dev.apis![0]!.grants).toEqual([
      { client: "client-0001", clientStatus: "changed", added: ["api-07:write"], removed: [], crossTeam: { clientTeam: { api: "api-02", owners: ["@acme/team-02"] } } },
    ]);
    expect(dev.apis![0]!.access.map((a) => a.client)).toEqual(["client-0001"]);
  });
});
