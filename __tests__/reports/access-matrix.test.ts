/**
 * The access matrix of the default config against answers worked out by hand from
 * m2m.config.ts, and the Markdown report that shows it.
 */
import { renderAccessMarkdown } from "../../reports/access-markdown";
import { cellOf, type EnvironmentAccess } from "../../reports/environment-access";
import { accessOf, clientNamed, editedModel, modelOf, routeNamed } from "./config-fixtures";

type Expected = "allowed" | { missing: string[] } | "client-disabled";

/**
 * Read off the config: 3rd-party holds hello-world; reader holds read; writer holds read and
 * write; billing holds both payment scopes. POST /payments is all-of on the scope checker.
 */
const DEFAULT_ANSWERS: Record<string, Record<string, Expected>> = {
  "3rd-party": {
    "GET /hello-world": "allowed",
    "GET /premium": { missing: ["read"] },
    "POST /premium": { missing: ["write"] },
    "POST /payments": { missing: ["payments.read", "payments.write"] },
  },
  reader: {
    "GET /hello-world": { missing: ["hello-world"] },
    "GET /premium": "allowed",
    "POST /premium": { missing: ["write"] },
    "POST /payments": { missing: ["payments.read", "payments.write"] },
  },
  writer: {
    "GET /hello-world": { missing: ["hello-world"] },
    "GET /premium": "allowed",
    "POST /premium": "allowed",
    "POST /payments": { missing: ["payments.read", "payments.write"] },
  },
  billing: {
    "GET /hello-world": { missing: ["hello-world"] },
    "GET /premium": { missing: ["read"] },
    "POST /premium": { missing: ["write"] },
    "POST /payments": "allowed",
  },
};

function actual(access: EnvironmentAccess, client: string, route: string): Expected {
  const cell = cellOf(access, client, route);
  if (!cell) throw new Error(`no cell ${client} x ${route}`);
  const d = cell.decision;
  if (d.allowed) return "allowed";
  return d.reason === "client-disabled" ? "client-disabled" : { missing: [...d.missing] };
}

describe("access matrix of the default config", () => {
  const model = modelOf();

  it.each(["dev", "prod"])("%s: every client x route cell matches the hand-derived answer", (env) => {
    const access = accessOf(model, env);
    expect(access.clients.map((c) => c.name)).toEqual(Object.keys(DEFAULT_ANSWERS));
    expect(access.routes.map((r) => r.id)).toEqual(Object.keys(DEFAULT_ANSWERS["reader"]!));
    expect(access.matrix).toHaveLength(16);
    for (const [client, routes] of Object.entries(DEFAULT_ANSWERS)) {
      for (const [route, expected] of Object.entries(routes)) expect([client, route, actual(access, client, route)]).toEqual([client, route, expected]);
    }
  });

  it("lists each route's allowed clients and each client's routes from the same decisions", () => {
    const access = accessOf(model, "dev");
    expect(access.routes.find((r) => r.id === "GET /premium")?.allowedClients).toEqual(["reader", "writer"]);
    expect(access.routes.find((r) => r.id === "POST /payments")?.allowedClients).toEqual(["billing"]);
    expect(access.clients.find((c) => c.name === "writer")?.allowedRoutes).toEqual(["GET /premium", "POST /premium"]);
    expect(access.clients.find((c) => c.name === "3rd-party")?.allowedRoutes).toEqual(["GET /hello-world"]);
    expect(access.scopeCheckerAllowList).toEqual(["billing"]);
  });

  it("marks the route kinds: cognito routes match any-of, the scope checker all-of", () => {
    const access = accessOf(model, "dev");
    expect(access.routes.map((r) => [r.id, r.authorizer, r.scopeMatch])).toEqual([
      ["GET /hello-world", "cognito", "any-of"],
      ["GET /premium", "cognito", "any-of"],
      ["POST /premium", "cognito", "any-of"],
      ["POST /payments", "scope-checker", "all-of"],
    ]);
  });

  it("uses scope identifiers and URLs built from the invoke URL template", () => {
    const access = accessOf(model, "dev");
    expect(access.invokeUrlTemplate).toBe("https://{restApiId}.execute-api.eu-west-1.amazonaws.com/dev");
    expect(access.tokenEndpoint).toBe("https://m2m-demo-dev.auth.eu-west-1.amazoncognito.com/oauth2/token");
    expect(access.scopes.find((s) => s.name === "read")).toEqual({
      name: "read",
      description: "Read premium content",
      identifier: "https://{restApiId}.execute-api.eu-west-1.amazonaws.com/dev/read",
      grantedTo: ["reader", "writer"],
    });
  });

  it("denies every route to a client cut off in one environment only", () => {
    const model = editedModel((c) => {
      clientNamed(c, "billing").overrides = { prod: { disabled: true } };
    });
    const prod = accessOf(model, "prod");
    for (const route of prod.routes) expect(actual(prod, "billing", route.id)).toBe("client-disabled");
    expect(prod.scopeCheckerAllowList).toEqual([]);
    expect(actual(accessOf(model, "dev"), "billing", "POST /payments")).toBe("allowed");
  });

  it("an any-of route lets a client with one of several scopes through; all-of does not", () => {
    const model = editedModel((c) => {
      routeNamed(c, "GET", "/premium").scopes = ["read", "payments.read"];
      routeNamed(c, "POST", "/payments").scopes = ["payments.write", "write"];
    });
    const dev = accessOf(model, "dev");
    expect(actual(dev, "billing", "GET /premium")).toBe("allowed");
    expect(actual(dev, "writer", "POST /payments")).toEqual({ missing: ["payments.write"] });
    expect(actual(dev, "billing", "POST /payments")).toEqual({ missing: ["write"] });
  });
});

describe("access.md", () => {
  const markdown = renderAccessMarkdown(accessOf(modelOf(), "dev"));

  function matrixRow(client: string): string[] {
    const line = markdown.split("\n").find((l) => l.startsWith(`| **${client}** |`));
    if (!line) throw new Error(`no matrix row for ${client}`);
    return line.split(" | ").slice(1);
  }

  it("has a matrix row per client with a mark per route, and the reason when denied", () => {
    expect(markdown).toContain("| Client | `GET /hello-world` | `GET /premium` | `POST /premium` | `POST /payments` |");
    expect(matrixRow("reader")).toEqual(["❌ needs `hello-world`", "✅", "❌ needs `write`", "❌ missing `payments.read`, `payments.write` |"]);
    expect(matrixRow("billing")[3]).toBe("✅ |");
  });

  it("lists scopes with descriptions, clients with scopes, routes with authorizer and match", () => {
    expect(markdown).toContain("| `payments.write` | Initiate payments | `billing` | `https://{restApiId}.execute-api.eu-west-1.amazonaws.com/dev/payments.write` |");
    expect(markdown).toContain("| **billing** | enabled | `payments.read`, `payments.write` | 15 minutes | `POST /payments` | Billing service |");
    expect(markdown).toContain("| `POST /payments` | scope checker (Lambda) | all of `payments.read`, `payments.write` | Lambda `backends/payments.ts#handler` (function `m2m-demo-api-dev-payments`, 256 MB, 10 s) | `billing` |");
    expect(markdown).toContain("| `POST /premium` | Cognito (native) | `write` | mock: 201 `{\"created\":true}` | `writer` |");
    expect(markdown).toContain("| Token endpoint | `https://m2m-demo-dev.auth.eu-west-1.amazoncognito.com/oauth2/token` |");
  });

  it("escapes config text so a description cannot add markup or table cells", () => {
    const model = editedModel((c) => {
      routeNamed(c, "GET", "/premium").description = "Reads <b>premium</b> | [content](x)";
    });
    const text = renderAccessMarkdown(accessOf(model, "dev"));
    expect(text).toContain("Reads \\<b\\>premium\\</b\\> \\| \\[content\\](x)");
    const routeRow = text.split("\n").find((l) => l.startsWith("| `GET /premium` |"))!;
    expect(routeRow.split(/(?<!\\)\|/)).toHaveLength(8); // 6 cells between 7 unescaped pipes
  });
});
