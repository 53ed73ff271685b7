/**
 * The access diff from fixtures: the default config as base, an edited copy as head, both
 * validated. Checks the structured diff and the PR comment rendered from it.
 */
import type { M2MModel } from "../../model/model-types";
import { diffModels, type AccessDiff, type EnvironmentDiff } from "../../reports/access-diff";
import { ACCESS_DIFF_MARKER, renderAccessDiffMarkdown } from "../../reports/access-diff-markdown";
import { clientNamed, editedModel, modelOf, routeNamed, type EditableConfig } from "./config-fixtures";

const LABELS = { base: "origin/main", head: "the working tree" };

function diffAfter(edit: (config: EditableConfig) => void, base: M2MModel = modelOf()): { diff: AccessDiff; markdown: string } {
  const diff = diffModels(base, editedModel(edit));
  return { diff, markdown: renderAccessDiffMarkdown(diff, LABELS) };
}

function env(diff: AccessDiff, name: string): EnvironmentDiff {
  const found = diff.environments.find((e) => e.environment === name);
  if (!found) throw new Error(`no environment ${name} in the diff`);
  return found;
}

/** The lines of the ```diff block in the section of the given environments' heading. */
function accessLines(markdown: string, heading: string): string[] {
  const section = markdown.split(/^### /m).find((s) => s.startsWith(heading));
  if (!section) throw new Error(`no section ${heading} in:\n${markdown}`);
  const block = /```diff\n([\s\S]*?)\n```/.exec(section);
  return block ? block[1]!.split("\n").map((l) => l.trimEnd()) : [];
}

describe("access diff", () => {
  it("nothing changed: the marker and one line", () => {
    const diff = diffModels(modelOf(), modelOf());
    expect(diff.changed).toBe(false);
    expect(diff.environments.map((e) => e.status)).toEqual(["unchanged", "unchanged"]);
    const markdown = renderAccessDiffMarkdown(diff, LABELS);
    const lines = markdown.trimEnd().split("\n");
    expect(lines).toEqual([ACCESS_DIFF_MARKER, "No access changes between `origin/main` and the working tree, in any environment."]);
  });

  it("descriptions alone are no access change", () => {
    const { diff } = diffAfter((c) => {
      clientNamed(c, "reader").description = "Renamed team";
      routeNamed(c, "GET", "/premium").description = "Another wording";
    });
    expect(diff.changed).toBe(false);
  });

  it("a client gains a scope: the grant and the routes it opens", () => {
    const { diff, markdown } = diffAfter((c) => clientNamed(c, "3rd-party").scopes.push("read"));
    for (const name of ["dev", "prod"]) {
      const e = env(diff, name);
      expect(e.clients).toEqual([{ kind: "changed", name: "3rd-party", scopesAdded: ["read"], scopesRemoved: [] }]);
      expect(e.access).toEqual([{ client: "3rd-party", gained: ["GET /premium"], lost: [] }]);
      expect(e.routes).toEqual([]);
    }
    // Same change in both environments: one section for both.
    expect(markdown).toContain("### `dev`, `prod`");
    expect(accessLines(markdown, "`dev`, `prod`")).toEqual(["3rd-party:", "+ GET /premium"]);
    expect(markdown).toContain("- Client `3rd-party`: scope grant **added** `read`");
    expect(markdown.startsWith(`${ACCESS_DIFF_MARKER}\n`)).toBe(true);
  });

  it("a route moves to the scope checker: any-of becomes all-of, and a client holding one scope loses it", () => {
    const base = editedModel((c) => void (routeNamed(c, "GET", "/premium").scopes = ["read", "write"]));
    const { diff, markdown } = diffAfter((c) => {
      const route = routeNamed(c, "GET", "/premium");
      route.scopes = ["read", "write"];
      route.authorizer = "scope-checker";
    }, base);
    const dev = env(diff, "dev");
    expect(dev.routes).toEqual([{ kind: "changed", id: "GET /premium", authorizer: { before: "cognito", after: "scope-checker" } }]);
    expect(dev.access).toEqual([
      { client: "reader", gained: [], lost: [{ route: "GET /premium", cause: { kind: "denied", match: "all-of", decision: { allowed: false, reason: "missing-scope", missing: ["write"] } } }] },
    ]);
    expect(accessLines(markdown, "`dev`, `prod`")).toEqual(["reader:", "- GET /premium  missing write"]);
    expect(markdown).toContain("- Route `GET /premium`: authorizer Cognito (any-of) → **scope checker (all-of)**");
  });

  it("a route changes backend: shown as a route change, with no access change", () => {
    const { diff, markdown } = diffAfter((c) => {
      const route = routeNamed(c, "GET", "/premium");
      delete route.response;
      route.backend = { type: "http", url: "https://content.example.com/premium" };
      routeNamed(c, "POST", "/payments").backend.timeoutSeconds = 20;
    });
    const dev = env(diff, "dev");
    expect(diff.changed).toBe(true);
    expect(dev.access).toEqual([]);
    expect(dev.routes).toEqual([
      { kind: "changed", id: "GET /premium", backend: { before: { type: "mock" }, after: { type: "http", url: "https://content.example.com/premium", timeoutMs: 29000 } } },
      {
        kind: "changed",
        id: "POST /payments",
        backend: {
          before: { type: "lambda", handler: "backends/payments.ts#handler", functionName: "m2m-demo-api-dev-payments", memoryMb: 256, timeoutSeconds: 10 },
          after: { type: "lambda", handler: "backends/payments.ts#handler", functionName: "m2m-demo-api-dev-payments", memoryMb: 256, timeoutSeconds: 20 },
        },
      },
    ]);
    expect(markdown).toContain("- Route `GET /premium`: backend mock → **HTTPS `https://content.example.com/premium` (timeout 29000 ms)**");
    expect(markdown).toContain("- Route `POST /payments`: backend Lambda `backends/payments.ts#handler` (256 MB, 10 s) → **Lambda `backends/payments.ts#handler` (256 MB, 20 s)**");
    // The same change in both environments reads the same: one section.
    expect(markdown).toContain("### `dev`, `prod`\n");
  });

  it("an added route says what serves it", () => {
    const { markdown } = diffAfter((c) => void c.routes.push({ method: "GET", path: "/rates", scopes: ["read"], backend: { type: "lambda-arn", functionArn: "arn:aws:lambda:eu-west-1:123456789012:function:rates:live" } }));
    expect(markdown).toContain("- Route `GET /rates` **added**: requires `read` via Cognito (any-of); served by existing Lambda `arn:aws:lambda:eu-west-1:123456789012:function:rates:live`");
  });

  it("a client is removed: it loses every route it had", () => {
    const { diff, markdown } = diffAfter((c) => {
      c.clients = c.clients.filter((x: { name: string }) => x.name !== "writer");
    });
    const dev = env(diff, "dev");
    expect(dev.clients).toEqual([expect.objectContaining({ kind: "removed", name: "writer" })]);
    expect(dev.access).toEqual([
      { client: "writer", gained: [], lost: [{ route: "GET /premium", cause: { kind: "client-removed" } }, { route: "POST /premium", cause: { kind: "client-removed" } }] },
    ]);
    expect(accessLines(markdown, "`dev`, `prod`")).toEqual(["writer (removed):", "- GET /premium   client removed", "- POST /premium  client removed"]);
    expect(markdown).toContain("- Client `writer` **removed** (had scopes `read`, `write`)");
  });

  it("a route's scopes change: who loses it and who gains it", () => {
    const { diff, markdown } = diffAfter((c) => void (routeNamed(c, "POST", "/premium").scopes = ["payments.write"]));
    const dev = env(diff, "dev");
    expect(dev.routes).toEqual([{ kind: "changed", id: "POST /premium", scopes: { before: ["write"], after: ["payments.write"] } }]);
    expect(dev.access).toEqual([
      { client: "writer", gained: [], lost: [{ route: "POST /premium", cause: expect.objectContaining({ kind: "denied" }) }] },
      { client: "billing", gained: ["POST /premium"], lost: [] },
    ]);
    expect(accessLines(markdown, "`dev`, `prod`")).toEqual(["writer:", "- POST /premium  needs payments.write", "billing:", "+ POST /premium"]);
    expect(markdown).toContain("- Route `POST /premium`: scopes `write` → `payments.write`");
  });

  it("reordering a route's scopes is no change", () => {
    const base = editedModel((c) => void (routeNamed(c, "GET", "/premium").scopes = ["read", "write"]));
    const { diff } = diffAfter((c) => void (routeNamed(c, "GET", "/premium").scopes = ["write", "read"]), base);
    expect(diff.changed).toBe(false);
  });

  it("a client is cut off in prod only: prod loses it, dev says it is unchanged", () => {
    const { diff, markdown } = diffAfter((c) => void (clientNamed(c, "billing").overrides = { prod: { disabled: true } }));
    expect(env(diff, "dev").status).toBe("unchanged");
    const prod = env(diff, "prod");
    expect(prod.clients).toEqual([{ kind: "changed", name: "billing", scopesAdded: [], scopesRemoved: [], disabled: { before: false, after: true } }]);
    expect(prod.access).toEqual([
      { client: "billing", gained: [], lost: [{ route: "POST /payments", cause: { kind: "denied", match: "all-of", decision: { allowed: false, reason: "client-disabled" } } }] },
    ]);
    expect(accessLines(markdown, "`prod`")).toEqual(["billing (cut off):", "- POST /payments  client cut off"]);
    expect(markdown).toContain("- Client `billing`: **cut off** (disabled)");
    expect(markdown).toContain("No access changes in `dev`.");
    // What stops when: new tokens at once; held tokens on scope-checker routes at the cache flush; on Cognito routes at expiry.
    expect(markdown).toContain("new token requests are refused at once");
    expect(markdown).toContain("stop on scope-checker routes when the deploy workflow flushes API Gateway's authorizer cache");
    expect(markdown).toContain("pass Cognito routes until they expire");
    expect(markdown).not.toContain("as soon as the change is deployed");
  });

  it("a client is re-enabled: it regains its routes", () => {
    const base = editedModel((c) => void (clientNamed(c, "reader").disabled = true));
    const { diff, markdown } = diffAfter(() => undefined, base);
    expect(env(diff, "dev").access).toEqual([{ client: "reader", gained: ["GET /premium"], lost: [] }]);
    expect(markdown).toContain("- Client `reader`: **re-enabled**");
  });

  it("a client is added in one environment, with its scopes and token validity", () => {
    const { diff, markdown } = diffAfter((c) => {
      c.clients.push({ name: "partner-x", scopes: ["hello-world", "write"], environments: ["dev"], accessTokenValidity: { value: 30, unit: "minutes" } });
    });
    expect(env(diff, "prod").status).toBe("unchanged");
    expect(env(diff, "dev").access).toEqual([{ client: "partner-x", gained: ["GET /hello-world", "POST /premium"], lost: [] }]);
    expect(accessLines(markdown, "`dev`")).toEqual(["partner-x (new client):", "+ GET /hello-world", "+ POST /premium"]);
    expect(markdown).toContain("- Client `partner-x` **added**: scopes `hello-world`, `write`; access token 30 minutes");
  });

  it("token validity changes are listed, with no access change", () => {
    const { diff, markdown } = diffAfter((c) => void (clientNamed(c, "billing").accessTokenValidity = { value: 1, unit: "hours" }));
    expect(env(diff, "dev").access).toEqual([]);
    expect(markdown).toContain("Effective access: unchanged.");
    expect(markdown).toContain("- Client `billing`: access token validity 15 minutes → 1 hour");
  });

  it("routes added and removed", () => {
    const { diff, markdown } = diffAfter((c) => {
      c.routes = c.routes.filter((r: { path: string }) => r.path !== "/hello-world");
      c.routes.push({ method: "DELETE", path: "/premium/{id}", scopes: ["write"] });
    });
    expect(env(diff, "dev").routes.map((r) => [r.kind, r.id])).toEqual([
      ["added", "DELETE /premium/{id}"],
      ["removed", "GET /hello-world"],
    ]);
    expect(accessLines(markdown, "`dev`, `prod`")).toEqual(["3rd-party:", "- GET /hello-world  route removed", "writer:", "+ DELETE /premium/{id}"]);
    expect(markdown).toContain("- Route `DELETE /premium/{id}` **added**: requires `write` via Cognito (any-of)");
    expect(markdown).toContain("- Route `GET /hello-world` **removed**");
  });

  it("source-IP restrictions and endpoint changes are listed", () => {
    const { diff, markdown } = diffAfter((c) => {
      c.environments[1].allowedSourceIps = ["203.0.113.0/24"];
      c.environments[1].domainPrefix = "m2m-demo-production";
    });
    const prod = env(diff, "prod");
    expect(prod.sourceIps).toEqual({ before: [], after: ["203.0.113.0/24"] });
    expect(prod.endpoints).toEqual([
      { what: "token endpoint", before: "https://m2m-demo-prod.auth.eu-west-1.amazoncognito.com/oauth2/token", after: "https://m2m-demo-production.auth.eu-west-1.amazoncognito.com/oauth2/token" },
    ]);
    expect(markdown).toContain("- Allowed source IPs: any → **only `203.0.113.0/24`**");
  });

  it("a new environment: every client gains its routes there", () => {
    const { diff, markdown } = diffAfter((c) => {
      c.environments.push({ name: "staging", region: "eu-central-1", domainPrefix: "m2m-demo-staging", stageName: "staging" });
    });
    const staging = env(diff, "staging");
    expect(staging.status).toBe("added");
    expect(staging.access.map((a) => [a.client, a.gained.length])).toEqual([
      ["3rd-party", 1],
      ["reader", 1],
      ["writer", 2],
      ["billing", 1],
    ]);
    expect(markdown).toContain("### `staging`\n\nNew environment");
    expect(markdown).toContain("No access changes in `dev`, `prod`.");
  });

  it("renders the same bytes for the same diff", () => {
    const edit = (c: EditableConfig) => void clientNamed(c, "reader").scopes.push("write");
    expect(diffAfter(edit).markdown).toBe(diffAfter(edit).markdown);
  });
});
