/**
 * The reports of a config with several APIs (the default config: `content` owned by
 * @acme/content-team, `payments` by @acme/payments-team, the main config by @acme/platform; and
 * the per-team example, whose APIs and sponsored clients live in team files): the access model
 * per API and across APIs, access.md with a section per API, one OpenAPI document per API, and
 * the access diff grouped by API, naming the owners to ask and calling out cross-team grants.
 */
import SwaggerParser from "@apidevtools/swagger-parser";
import { decideRouteAccess } from "../../model/access";
import { loadConfigFile } from "../../model/load-config";
import { originsOf, recordOrigins } from "../../model/config-origins";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { modelInputText, ModelInputError, ORIGINS_FIELD, readModelInput } from "../../reports/model-input";
import type { M2MModel } from "../../model/model-types";
import { validateConfig } from "../../model/validate";
import { diffModels } from "../../reports/access-diff";
import { reviewersOf, type ApiDiff } from "../../reports/access-diff-apis";
import { renderAccessDiffMarkdown } from "../../reports/access-diff-markdown";
import { cellOf, modelPlatformAccess, platformAccess, routeId } from "../../reports/environment-access";
import { buildOpenApi, SECURITY_SCHEME } from "../../reports/openapi";
import { environmentReportFiles } from "../../reports/report-files";
import defaultConfig from "../../m2m.config";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..", "..");
const LABELS = { base: "main", head: "the pull request" };

function edited(edit: (config: any) => void, config: unknown = defaultConfig): M2MModel {
  const copy = structuredClone(config) as any;
  // A merged per-team config's copy keeps where its entries came from, as the loader recorded.
  const origins = originsOf(config);
  if (origins) recordOrigins(copy, origins);
  edit(copy);
  return validateConfig(copy);
}
const clientIn = (config: any, name: string) => config.clients.find((c: { name: string }) => c.name === name);

const model = validateConfig(defaultConfig);
const dev = platformAccess(model, model.environments[0]!);

describe("access across APIs", () => {
  it("gives each API its own access, listing the clients holding its scopes, each cell as model/access.ts decides", () => {
    expect(dev.apis.map((a) => [a.apiName, a.owners, a.clients.map((c) => c.name)])).toEqual([
      ["content", ["@acme/content-team"], ["3rd-party", "reader", "writer", "finance-reports"]],
      ["payments", ["@acme/payments-team"], ["billing", "finance-reports"]],
    ]);
    for (const [i, api] of model.apis.entries()) {
      for (const client of model.environments[0]!.clients.filter((c) => c.scopes.some((g) => g.api === api.name))) {
        for (const route of api.routes) expect(cellOf(dev.apis[i]!, client.name, routeId(route))!.decision).toEqual(decideRouteAccess(client, route));
      }
    }
    // A client is seen by an API with its scopes THERE: what that API's authorizers read in its token.
    expect(dev.apis[1]!.clients.find((c) => c.name === "finance-reports")!.scopes).toEqual(["read"]);
  });

  it("lists every client with its grants as written and what it may call, across APIs", () => {
    const finance = dev.clients.find((c) => c.name === "finance-reports")!;
    expect(finance).toMatchObject({ grants: ["content:read", "payments:read"], apis: ["content", "payments"], mayCall: ["content GET /premium", "payments GET /payments/{id}"] });
    expect(dev.clients.find((c) => c.name === "billing")!.sponsor).toBe("payments");
  });

  it("access.md: the clients across APIs, then a section per API with its owners, matrix, routes and scopes", () => {
    const md = environmentReportFiles(model).find((f) => f.path === "dev/access.md")!.content;
    expect(md).toContain("| **finance-reports** | main config | enabled | `content:read`, `payments:read` | 60 minutes | `content GET /premium`, `payments GET /payments/{id}` |");
    const sections = md.split("\n").filter((l) => l.startsWith("## ") || l.startsWith("### "));
    expect(sections).toEqual([
      "## Clients across APIs",
      "## API `content`: Content API",
      "### Effective access",
      "### Routes",
      "### Clients",
      "### Scopes",
      "## API `payments`: Payments API",
      "### Effective access",
      "### Routes",
      "### Clients",
      "### Scopes",
    ]);
    expect(md).toContain("| Owners | `@acme/payments-team` |");
    expect(md).toContain("| **billing** | ✅ | ✅ |");
  });
});

describe("OpenAPI per API", () => {
  const files = environmentReportFiles(model);
  const doc = (path: string) => JSON.parse(files.find((f) => f.path === path)!.content);

  it("one valid OpenAPI 3.1 document per API and environment, each with its own routes and scopes only", async () => {
    for (const env of ["dev", "prod"]) {
      for (const api of ["content", "payments"]) await SwaggerParser.validate(doc(`${env}/openapi-${api}.json`));
    }
    const payments = doc("dev/openapi-payments.json");
    expect(payments.info.title).toBe("payments (dev)");
    expect(Object.keys(payments.paths)).toEqual(["/payments", "/payments/{id}"]);
    expect(Object.values(payments.components.securitySchemes[SECURITY_SCHEME].flows.clientCredentials.scopes)).toEqual(["Read payment state", "Initiate payments"]);
    expect(payments.paths["/payments/{id}"].get["x-m2m-allowed-clients"]).toEqual(["billing", "finance-reports"]);
    expect(Object.keys(doc("dev/openapi-content.json").paths)).toEqual(["/hello-world", "/premium"]);
  });

  it("is what buildOpenApi gives for that API's access", () => {
    expect(doc("prod/openapi-content.json")).toEqual(JSON.parse(JSON.stringify(buildOpenApi(modelPlatformAccess(model)[1]!.apis[0]!))));
  });
});

function apiDiff(base: M2MModel, head: M2MModel, env: string, api: string): ApiDiff | undefined {
  return diffModels(base, head).environments.find((e) => e.environment === env)!.apis!.find((a) => a.api === api);
}

describe("access diff grouped by API", () => {
  it("a main-config client granted another team's scope: a cross-team grant naming both teams, and that API's owners to ask", () => {
    const head = edited((c) => clientIn(c, "reader").scopes.push("payments:read"));
    const diff = diffModels(model, head);
    const env = diff.environments[0]!;
    expect(env.apis!.map((a) => a.api)).toEqual(["payments"]); // content did not change
    expect(env.apis![0]).toMatchObject({
      status: "changed",
      owners: ["@acme/payments-team"],
      grants: [{ client: "reader", clientStatus: "changed", added: ["payments:read"], removed: [], crossTeam: { clientTeam: { owners: ["@acme/platform"] } } }],
      access: [{ client: "reader", gained: ["GET /payments/{id}"], lost: [] }],
    });
    expect(env.clients).toEqual([]); // nothing changed of the client itself
    expect(reviewersOf(diff)).toEqual([
      { owner: "@acme/payments-team", apis: ["payments"] },
      { owner: "@acme/platform", apis: ["clients of the main config"] },
    ]);

    const md = renderAccessDiffMarkdown(diff, LABELS);
    expect(md).toContain("**Reviews to ask**: `@acme/payments-team` (`payments`); `@acme/platform` (clients of the main config)");
    expect(md).toContain("**Cross-team grants**: `reader` → `payments`");
    expect(md).toContain("### `dev`, `prod`\n\n#### API `payments`: ask `@acme/payments-team`");
    expect(md).toContain("```diff\nreader:\n+ GET /payments/{id}\n```");
    expect(md).toContain(
      "- **Cross-team grant**: Client `reader`: scope grant **added** `payments:read`. The client belongs to the main config (owners `@acme/platform`); the API `payments` is owned by `@acme/payments-team`: both teams approve",
    );
    expect(md).not.toContain("API `content`");
  });

  it("a client sponsored by one team granted another team's scope: cross-team, naming the sponsor team", () => {
    const head = edited((c) => clientIn(c, "billing").scopes.push("content:read"));
    const content = apiDiff(model, head, "prod", "content")!;
    expect(content.grants).toEqual([{ client: "billing", clientStatus: "changed", added: ["content:read"], removed: [], crossTeam: { clientTeam: { api: "payments", owners: ["@acme/payments-team"] } } }]);
    expect(renderAccessDiffMarkdown(diffModels(model, head), LABELS)).toContain("The client is sponsored by `payments` (owners `@acme/payments-team`); the API `content` is owned by `@acme/content-team`");
  });

  it("a grant within the client's own team is no cross-team grant", () => {
    const head = edited((c) => {
      c.apis[1].scopes.push({ name: "refund", description: "Refund a payment" });
      clientIn(c, "billing").scopes.push("payments:refund");
    });
    const payments = apiDiff(model, head, "dev", "payments")!;
    expect(payments.scopesDefined).toEqual(["refund"]);
    expect(payments.grants).toEqual([{ client: "billing", clientStatus: "changed", added: ["payments:refund"], removed: [] }]);
    const md = renderAccessDiffMarkdown(diffModels(model, head), LABELS);
    expect(md).not.toContain("Cross-team");
    expect(md).toContain("**Reviews to ask**: `@acme/payments-team` (`payments`)\n");
  });

  it("a client losing its last scope on an API loses its routes there for want of the scope, not as a removed client", () => {
    const head = edited((c) => (clientIn(c, "finance-reports").scopes = ["content:read"]));
    const payments = apiDiff(model, head, "dev", "payments")!;
    expect(payments.grants).toEqual([{ client: "finance-reports", clientStatus: "changed", added: [], removed: ["payments:read"] }]);
    expect(payments.access).toEqual([
      { client: "finance-reports", gained: [], lost: [{ route: "GET /payments/{id}", cause: { kind: "denied", decision: { allowed: false, reason: "missing-scope", missing: ["read"] }, match: "any-of" } }] },
    ]);
    expect(apiDiff(model, head, "dev", "content")).toBeUndefined();
  });

  it("a removed client: its losses on every API it could call, and the client listed once", () => {
    const head = edited((c) => (c.clients = c.clients.filter((x: { name: string }) => x.name !== "finance-reports")));
    const env = diffModels(model, head).environments[0]!;
    expect(env.apis!.map((a) => [a.api, a.access[0]!.lost.map((l) => `${l.route} ${l.cause.kind}`)])).toEqual([
      ["content", ["GET /premium client-removed"]],
      ["payments", ["GET /payments/{id} client-removed"]],
    ]);
    expect(env.apis!.map((a) => a.grants[0]!.clientStatus)).toEqual(["removed", "removed"]);
    expect(env.clients.map((c) => `${c.kind} ${c.name}`)).toEqual(["removed finance-reports"]);
    expect(renderAccessDiffMarkdown(diffModels(model, head), LABELS)).toContain("#### Clients\n\n- Client `finance-reports` **removed** (had scopes `content:read`, `payments:read`)");
  });

  it("a client cut off while losing a grant: the cut-off under Clients, the grant under its API (not twice)", () => {
    const head = edited((c) => {
      clientIn(c, "finance-reports").disabled = true;
      clientIn(c, "finance-reports").scopes = ["content:read"];
    });
    const env = diffModels(model, head).environments[0]!;
    expect(env.clients).toEqual([{ kind: "changed", name: "finance-reports", scopesAdded: [], scopesRemoved: [], disabled: { before: false, after: true } }]);
    expect(env.apis!.find((a) => a.api === "payments")!.grants.map((g) => g.removed)).toEqual([["payments:read"]]);
    const md = renderAccessDiffMarkdown(diffModels(model, head), LABELS);
    expect(md).toContain("- Client `finance-reports`: **cut off** (disabled)\n");
    expect(md.match(/payments:read/g)).toHaveLength(1);
  });

  it("a new client of a team: listed with its sponsor; its grants on its own API are no cross-team grant", () => {
    const head = edited((c) => c.clients.push({ name: "ledger", sponsor: "payments", scopes: ["read"] }));
    const env = diffModels(model, head).environments[0]!;
    expect(env.apis!.find((a) => a.api === "payments")!.grants).toEqual([{ client: "ledger", clientStatus: "added", added: ["payments:read"], removed: [] }]);
    expect(renderAccessDiffMarkdown(diffModels(model, head), LABELS)).toContain("- Client `ledger` (sponsored by `payments`) **added**: scopes `payments:read`; access token 60 minutes");
  });

  it("a route change of one API is that API's alone, with its owners to ask", () => {
    const head = edited((c) => (c.apis[0].routes[1].scopes = ["write"]));
    const diff = diffModels(model, head);
    expect(diff.environments[0]!.apis!.map((a) => a.api)).toEqual(["content"]);
    expect(reviewersOf(diff)).toEqual([{ owner: "@acme/content-team", apis: ["content"] }]);
    expect(renderAccessDiffMarkdown(diff, LABELS)).toContain("- Route `GET /premium`: scopes `read` → `write`");
  });

  it("an API added: its section says so, with its owners", () => {
    const head = edited((c) =>
      c.apis.push({ name: "search", resourceServerName: "Search API", owners: ["@acme/search-team"], scopes: [{ name: "query", description: "Query" }], routes: [{ method: "GET", path: "/search", scopes: ["query"], response: { status: 200, body: {} } }] }),
    );
    const search = apiDiff(model, head, "dev", "search")!;
    expect(search).toMatchObject({ status: "added", owners: ["@acme/search-team"], scopesDefined: ["query"] });
    expect(renderAccessDiffMarkdown(diffModels(model, head), LABELS)).toContain("#### API `search` **added**: ask `@acme/search-team`");
  });

  it("no change: one line", () => {
    expect(renderAccessDiffMarkdown(diffModels(model, validateConfig(defaultConfig)), LABELS).split("\n")[1]).toBe("No access changes between `main` and the pull request, in any environment.");
  });
});

describe("access diff of the per-team layout", () => {
  const perTeam = loadConfigFile(join(ROOT, "examples", "per-team", "m2m.config.ts")) as any;
  const base = validateConfig(perTeam);

  it("a client of the orders team's file granted the invoices team's scope: cross-team, both teams named", () => {
    const head = edited((c) => clientIn(c, "webshop").scopes.push("invoices:read"), perTeam);
    const invoices = apiDiff(base, head, "dev", "invoices")!;
    expect(invoices).toMatchObject({ owners: ["@acme/billing-team"], sourceFile: "apis/invoices.m2m.ts" });
    expect(invoices.grants).toEqual([{ client: "webshop", clientStatus: "changed", added: ["invoices:read"], removed: [], crossTeam: { clientTeam: { api: "orders", owners: ["@acme/orders-team"] } } }]);
    const md = renderAccessDiffMarkdown(diffModels(base, head), LABELS);
    expect(md).toContain("#### API `invoices`: ask `@acme/billing-team`\n\nDefined in `apis/invoices.m2m.ts`.");
    expect(md).toContain("**Reviews to ask**: `@acme/billing-team` (`invoices`); `@acme/orders-team` (clients of orders)");
  });
});

describe("the model file (npm run model:json) of the per-team layout", () => {
  const perTeam = loadConfigFile(join(ROOT, "examples", "per-team", "m2m.config.ts"));
  const dir = mkdtempSync(join(tmpdir(), "m2m-model-input-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("carries where each API and client came from, so the review side's model is the same, team files included", () => {
    const file = join(dir, "model.json");
    writeFileSync(file, modelInputText(perTeam));
    const model = readModelInput(file);
    expect(model).toEqual(validateConfig(perTeam));
    expect(model.apis.map((a) => a.sourceFile)).toEqual(["apis/invoices.m2m.ts", "apis/orders.m2m.ts"]);
  });

  it("loads as a config for synth (M2M_CONFIG=<model file>, as deploys do), its team files' origins restored", () => {
    const file = join(dir, "synth-model.json");
    writeFileSync(file, modelInputText(perTeam));
    expect(validateConfig(loadConfigFile(file))).toEqual(validateConfig(perTeam));
  });

  it("refuses a malformed origins record rather than guess", () => {
    const file = join(dir, "bad.json");
    const data = JSON.parse(modelInputText(perTeam));
    data[ORIGINS_FIELD] = { mainFile: "m2m.config.ts", apis: [{ file: 1 }], clients: [] };
    writeFileSync(file, JSON.stringify(data));
    expect(() => readModelInput(file, "bad.json")).toThrow(new ModelInputError("bad.json", `${ORIGINS_FIELD} must be { mainFile, apis, clients } with a { file, at } or null per merged API and client`));
  });
});
