/**
 * The smoke matrix against the offline environment over real loopback HTTP, for what the model
 * leaves open: a disabled client passes when the token endpoint refuses it with *any* OAuth error
 * (the code is shown), fails when the endpoint is unreachable or not an OAuth endpoint; a client
 * the deployment cut off (secret says disabled) passes; and calls with a body send JSON.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { formatSmokeTable, runSmoke, type SmokeCheck, type SmokeTarget } from "../../client/smoke";
import type { LocalEnvironment } from "../../local/local-environment";
import { allRoutes } from "../../model/apis";
import { clientOf, modelWith, startEnv } from "../local/local-test-kit";

const model = modelWith((c) => ({ ...c, clients: c.clients.map((cl) => (cl.name === "writer" ? { ...cl, disabled: true } : cl)) }));
const dev = model.environments.find((e) => e.name === "dev")!;

type Scripted = { status: number; body: string; contentType?: string };

/**
 * A token endpoint on 127.0.0.1 that answers the disabled client's requests from `script` (a
 * stand-in for whatever real Cognito answers) and forwards every other request to the offline one.
 */
async function startTokenEndpointVariant(local: LocalEnvironment, disabledClientId: string) {
  let script: Scripted | undefined;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const clientId = basic ? Buffer.from(basic, "base64").toString("utf8").split(":")[0] : undefined;
    if (script && clientId === disabledClientId) {
      res.writeHead(script.status, { "content-type": script.contentType ?? "application/json" });
      res.end(script.body);
      return;
    }
    const forwarded = await fetch(local.tokenEndpoint, { method: req.method!, headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) });
    res.writeHead(forwarded.status, { "content-type": forwarded.headers.get("content-type") ?? "application/json" });
    res.end(await forwarded.text());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/token`,
    answer(next: Scripted | undefined) {
      script = next;
    },
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

let env: LocalEnvironment;
let variant: Awaited<ReturnType<typeof startTokenEndpointVariant>>;
let target: SmokeTarget;
beforeAll(async () => {
  env = await startEnv({ model });
  variant = await startTokenEndpointVariant(env, clientOf(env, "writer").clientId);
  target = {
    apiUrls: new Map([["m2m-demo-api", env.apiUrl]]),
    tokenEndpoint: variant.url,
    credentials: new Map(env.credentials.clients.map((c) => [c.name, { clientId: c.clientId, clientSecret: c.clientSecret }])),
  };
});
afterAll(async () => {
  await variant.close();
  await env.close();
});

const rowsOf = (checks: readonly SmokeCheck[], client: string) => checks.filter((c) => c.client === client);

describe("a disabled client", () => {
  it.each([
    ["the offline endpoint's own answer", undefined, "token refused: invalid_client (HTTP 400)"],
    ["unauthorized_client, 400", { status: 400, body: JSON.stringify({ error: "unauthorized_client" }) }, "token refused: unauthorized_client (HTTP 400)"],
    ["invalid_client, 401 (RFC 6749's status for Basic)", { status: 401, body: JSON.stringify({ error: "invalid_client", error_description: "Client is disabled" }) }, "token refused: invalid_client (HTTP 401)"],
  ])("passes when refused with any OAuth error: %s", async (_name, script, actual) => {
    variant.answer(script);
    const report = await runSmoke({ model, environment: dev, target, tokenClientRetry: { maxAttempts: 1 } });
    expect(report.failed).toBe(0);
    const writer = rowsOf(report.checks, "writer");
    expect(writer).toHaveLength(allRoutes(model).length);
    expect(writer.every((c) => c.passed && c.actual === actual)).toBe(true);
    // The table reports the code that was received.
    expect(formatSmokeTable(report)).toMatch(new RegExp(`^GET /premium +writer +token refused \\(client disabled\\) +${actual.replace(/[()]/g, "\\$&")} +ok$`, "m"));
  });

  it.each([
    ["an unavailable endpoint (503)", { status: 503, body: "{}" }, "token endpoint unavailable after 1 attempt: HTTP 503"],
    ["a 4xx that is not an OAuth error", { status: 403, body: "<html>Forbidden</html>", contentType: "text/html" }, "token endpoint gave an unexpected answer: not an OAuth error response, HTTP 403"],
    ["a token", { status: 200, body: JSON.stringify({ access_token: "x", expires_in: 3600, token_type: "Bearer" }) }, "token issued"],
  ])("fails on %s", async (_name, script, actual) => {
    variant.answer(script);
    const report = await runSmoke({ model, environment: dev, target, tokenClientRetry: { maxAttempts: 1 } });
    const writer = rowsOf(report.checks, "writer");
    expect(writer.map((c) => [c.passed, c.actual])).toEqual(writer.map(() => [false, actual]));
    expect(report.failed).toBe(writer.length);
  });
});

describe("a client the deployment cut off (its secret says disabled)", () => {
  it("passes for a client the model disables, fails for one it enables", async () => {
    variant.answer(undefined);
    const credentials = new Map(target.credentials);
    credentials.delete("writer");
    credentials.delete("reader");
    const report = await runSmoke({ model, environment: dev, target: { ...target, credentials, cutOffClients: new Set(["writer", "reader"]) } });
    const cutOff = "cut off: no app client (secret says disabled)";
    expect(rowsOf(report.checks, "writer").every((c) => c.passed && c.actual === cutOff)).toBe(true);
    expect(rowsOf(report.checks, "reader").every((c) => !c.passed && c.actual === cutOff)).toBe(true);
    expect(report.failed).toBe(allRoutes(model).length);
  });
});

describe("calls with a body", () => {
  it("send `{}` as application/json, which the API's integrations accept", async () => {
    variant.answer(undefined);
    const sent: { method: string; contentType: string | null; body: unknown }[] = [];
    const report = await runSmoke({
      model,
      environment: dev,
      target,
      fetch: (input, init) => {
        if (String(input).startsWith(env.apiUrl)) sent.push({ method: init?.method ?? "GET", contentType: new Headers(init?.headers).get("content-type"), body: init?.body });
        return fetch(input, init);
      },
    });
    expect(report.failed).toBe(0);
    const posts = sent.filter((s) => s.method === "POST");
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.every((s) => s.contentType === "application/json" && s.body === "{}")).toBe(true);
    expect(sent.filter((s) => s.method === "GET").every((s) => s.contentType === null && s.body === undefined)).toBe(true);
  });
});
