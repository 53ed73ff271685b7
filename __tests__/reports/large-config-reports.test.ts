/**
 * The reports scale with a large config (300 clients x 100 routes, from bench/large-config.ts):
 * the access model, the access diff and every report file are built in well under a second
 * each. When cells were looked up by scanning the whole matrix, the same work took 17 s (access
 * model) and 45 s (diff): the time bounds below are generous, so they catch quadratic behaviour
 * without being flaky. The results are also checked cell by cell against model/access.ts, so an
 * index that returned the wrong cell would fail too.
 */
import { largeConfig } from "../../bench/large-config";
import { decideRouteAccess } from "../../model/access";
import { allRoutes } from "../../model/apis";
import type { M2MConfigInput } from "../../model/config-types";
import { validateConfig } from "../../model/validate";
import { diffModels } from "../../reports/access-diff";
import { cellOf, modelAccess, routeId, type EnvironmentAccess } from "../../reports/environment-access";
import { environmentReportFiles } from "../../reports/report-files";

/** Generous: the indexed code takes a few hundred milliseconds; the quadratic code took 17-45 s. */
const BOUND_MS = 5000;

type Editable = { -readonly [K in keyof M2MConfigInput]: any } & { routes?: any };

function timed<T>(work: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = work();
  return { result, ms: performance.now() - start };
}

describe("reports of a 300-client, 100-route config", () => {
  const head = validateConfig(largeConfig());

  it("builds the access model of every environment in well under the bound, each cell as model/access.ts decides", () => {
    const { result: environments, ms } = timed(() => modelAccess(head));
    expect(ms).toBeLessThan(BOUND_MS);
    expect(environments.map((e) => e.environment)).toEqual(["dev", "prod"]);

    const dev = environments[0]!;
    expect(dev.clients).toHaveLength(300);
    expect(dev.routes).toHaveLength(100);
    expect(dev.matrix).toHaveLength(30_000);
    // Compared whole (one assertion each), not cell by cell: 30,000 expect() calls cost more than the work.
    const clients = head.environments[0]!.clients;
    const pairs = clients.flatMap((client) => allRoutes(head).map((route) => ({ client, route })));
    expect(pairs.map(({ client, route }) => cellOf(dev, client.name, routeId(route))?.decision)).toEqual(
      pairs.map(({ client, route }) => decideRouteAccess(client, route)),
    );
    const expectedRoutes = clients.map((client) => allRoutes(head).filter((route) => decideRouteAccess(client, route).allowed).map(routeId));
    expect(dev.clients.map((c) => c.allowedRoutes)).toEqual(expectedRoutes);
    expect(expectedRoutes.flat().length).toBeGreaterThan(0); // the generated config does grant access
    expect(cellOf(dev, "no-such-client", routeId(allRoutes(head)[0]!))).toBeUndefined();
  });

  it("writes every report file (Markdown, HTML, JSON, OpenAPI) in well under the bound", () => {
    const { result: files, ms } = timed(() => environmentReportFiles(head));
    expect(ms).toBeLessThan(BOUND_MS);
    expect(files.map((f) => f.path)).toEqual([
      "dev/access.md",
      "dev/access.html",
      "dev/access.json",
      "dev/openapi.json",
      "prod/access.md",
      "prod/access.html",
      "prod/access.json",
      "prod/openapi.json",
    ]);
  });

  it("diffs two large configs in well under the bound, with the changes made between them", () => {
    // The base: client-000 (a scope-checker client) still exists, client-001 is not yet cut off,
    // and the last route some client may call does not exist yet.
    const opened = [...modelAccess(head)[0]!.routes].reverse().find((r) => r.allowedClients.length > 0)!;
    const baseConfig = largeConfig() as Editable;
    baseConfig.routes = baseConfig.routes.filter((r: { method: string; path: string }) => routeId(r) !== opened.id);
    const headConfig = largeConfig() as Editable;
    headConfig.clients = headConfig.clients.filter((c: { name: string }) => c.name !== "client-000");
    headConfig.clients.find((c: { name: string }) => c.name === "client-001").disabled = true;
    const base = validateConfig(baseConfig);
    const changedHead = validateConfig(headConfig);

    const { result: diff, ms } = timed(() => diffModels(base, changedHead));
    expect(ms).toBeLessThan(BOUND_MS);

    const dev = diff.environments.find((e) => e.environment === "dev")!;
    expect(dev.status).toBe("changed");
    const baseDev = modelAccess(base)[0]!;
    const headDev = modelAccess(changedHead)[0]!;
    const routesOf = (access: EnvironmentAccess, client: string) => access.clients.find((c) => c.name === client)?.allowedRoutes ?? [];

    const removed = dev.access.find((a) => a.client === "client-000")!;
    expect(removed.lost.map((l) => l.route)).toEqual(routesOf(baseDev, "client-000"));
    expect(removed.lost.every((l) => l.cause.kind === "client-removed")).toBe(true);

    const cutOff = dev.access.find((a) => a.client === "client-001")!;
    expect(cutOff.lost.map((l) => l.route)).toEqual(routesOf(baseDev, "client-001"));
    expect(cutOff.lost.every((l) => l.cause.kind === "denied" && l.cause.decision.reason === "client-disabled")).toBe(true);

    const newRoute = opened.id;
    const gainers = headDev.routes.find((r) => r.id === newRoute)!.allowedClients;
    expect(gainers.length).toBeGreaterThan(0);
    for (const client of gainers) expect(dev.access.find((a) => a.client === client)?.gained).toContain(newRoute);
    // Only those three kinds of change: nobody else appears in the access diff.
    expect(new Set(dev.access.map((a) => a.client))).toEqual(new Set(["client-000", "client-001", ...gainers]));
  });
});

describe("cell lookup on an access object the report did not build", () => {
  it("indexes a matrix read back from access.json, which carries no index of its own", () => {
    const access = modelAccess(validateConfig(largeConfig(20, 10)))[0]!;
    const json = JSON.stringify(access);
    expect(Object.keys(JSON.parse(json)).sort()).toEqual(Object.keys(access).sort()); // nothing extra serialized
    const readBack = JSON.parse(json) as EnvironmentAccess;
    for (const cell of access.matrix) expect(cellOf(readBack, cell.client, cell.route)).toEqual(cell);
  });
});
