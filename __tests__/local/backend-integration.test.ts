/**
 * Route backends offline, over real HTTP on 127.0.0.1: Lambda handlers run in-process with the
 * REST proxy event and the authorizer's identity, HTTP backends proxied to a real upstream
 * server, and the caller's identity impossible to forge through the X-M2M-* headers.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { LocalEnvironment } from "../../local/local-environment";
import { scopeIdentifier } from "../../model/aws-urls";
import { clientOf, modelWith, startEnv, tokenClientFor } from "./local-test-kit";

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawHeaders: readonly string[];
  readonly body: string;
}

let upstream: Server;
let upstreamUrl: string;
const seen: Seen[] = [];

/** Answers with what it received; `/slow` waits a second first. */
function startUpstream(): Promise<void> {
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const record = { method: req.method!, url: req.url!, headers: req.headers, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks).toString("utf8") };
      seen.push(record);
      const answer = () => {
        res.writeHead(207, { "content-type": "application/json", "x-upstream": "yes" });
        res.end(JSON.stringify({ url: record.url, method: record.method }));
      };
      if (req.url!.startsWith("/slow")) setTimeout(answer, 1000);
      else answer();
    });
  });
  return new Promise((resolve) => upstream.listen(0, "127.0.0.1", () => resolve()));
}

let env: LocalEnvironment;
const logLines: string[] = [];
const ECHO = "__tests__/fixtures/backends/echo.ts";

beforeAll(async () => {
  await startUpstream();
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const model = modelWith((c) => ({
    ...c,
    routes: [
      ...c.routes,
      { method: "GET", path: "/orders/{id}", scopes: ["read"], backend: { type: "http", url: "https://orders.example.com/v1/orders/{id}", localUrl: `${upstreamUrl}/v1/orders/{id}` } },
      { method: "POST", path: "/refunds/{id}", scopes: ["payments.read", "payments.write"], authorizer: "scope-checker", backend: { type: "http", url: "https://refunds.example.com/refunds/{id}" } },
      { method: "GET", path: "/slow", scopes: ["read"], backend: { type: "http", url: "https://slow.example.com/slow", timeoutMs: 200 } },
      { method: "GET", path: "/gone", scopes: ["read"], backend: { type: "http", url: "https://gone.example.com/", localUrl: "http://127.0.0.1:9/" } },
      { method: "GET", path: "/echo/{id}", scopes: ["read"], backend: { type: "lambda", handler: `${ECHO}#handler` } },
      { method: "GET", path: "/echo-checked", scopes: ["payments.read"], authorizer: "scope-checker", backend: { type: "lambda", handler: `${ECHO}#handler` } },
      { method: "GET", path: "/throws", scopes: ["read"], backend: { type: "lambda", handler: `${ECHO}#throws` } },
      { method: "GET", path: "/malformed", scopes: ["read"], backend: { type: "lambda", handler: `${ECHO}#malformed` } },
      { method: "GET", path: "/not-a-function", scopes: ["read"], backend: { type: "lambda", handler: `${ECHO}#notAFunction` } },
      { method: "GET", path: "/late", scopes: ["read"], backend: { type: "lambda", handler: `${ECHO}#slow`, timeoutSeconds: 1 } },
      { method: "GET", path: "/existing", scopes: ["read"], backend: { type: "lambda-arn", functionArn: "arn:aws:lambda:eu-west-1:123456789012:function:existing" } },
    ],
  }));
  env = await startEnv({
    model,
    backendUrls: new Map([
      ["m2m-demo-api:post_refunds_id", `${upstreamUrl}/refunds/{id}`],
      ["m2m-demo-api:get_slow", `${upstreamUrl}/slow`],
    ]),
    // The backends' failure notes, captured (and checked for leaks).
    backendLog: (line) => logLines.push(line),
  });
});

afterAll(async () => {
  await env.close();
  await new Promise((resolve) => upstream.close(resolve));
});

async function tokenOf(client: string): Promise<string> {
  return tokenClientFor(env, client).getToken();
}

function scopeClaimOf(token: string): string {
  return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8")).scope as string;
}

/** The values of a header as the upstream received them, every case and repetition. */
function valuesOf(record: Seen, name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < record.rawHeaders.length; i += 2) if (record.rawHeaders[i]!.toLowerCase() === name.toLowerCase()) out.push(record.rawHeaders[i + 1]!);
  return out;
}

describe("HTTP backends, proxied to a real server on 127.0.0.1", () => {
  it("passes path parameters into the URL and the query string on, and answers with the upstream's status, headers and body", async () => {
    const token = await tokenOf("reader");
    const res = await fetch(`${env.apiUrl}/orders/o%2042?expand=lines&expand=notes&x=1`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(207);
    expect(res.headers.get("x-upstream")).toBe("yes");
    const record = seen.at(-1)!;
    expect(record.method).toBe("GET");
    expect(record.url).toBe("/v1/orders/o%2042?expand=lines&expand=notes&x=1");
    expect(await res.json()).toEqual({ url: record.url, method: "GET" });
  });

  it("sets X-M2M-Client-Id and X-M2M-Scopes from the native authorizer's claims", async () => {
    const token = await tokenOf("writer");
    await fetch(`${env.apiUrl}/orders/1`, { headers: { authorization: `Bearer ${token}` } });
    const record = seen.at(-1)!;
    expect(valuesOf(record, "x-m2m-client-id")).toEqual([clientOf(env, "writer").clientId]);
    expect(valuesOf(record, "x-m2m-scopes")).toEqual([scopeClaimOf(token)]);
    expect(scopeClaimOf(token).split(" ")).toEqual(expect.arrayContaining([scopeIdentifier(env.apiUrl, "write")]));
  });

  it("never lets a caller's own X-M2M-* headers through, in any case, repeated or alone", async () => {
    const token = await tokenOf("reader");
    const forged = [
      ["X-M2M-Client-Id", "forged-admin"],
      ["x-m2m-client-id", "forged-again"],
      ["X-M2M-SCOPES", "https://evil/admin"],
      ["x-m2m-scopes", "admin"],
    ];
    const headers = new Headers([["authorization", `Bearer ${token}`], ...forged] as [string, string][]);
    const res = await fetch(`${env.apiUrl}/orders/2`, { headers });
    expect(res.status).toBe(207);
    const record = seen.at(-1)!;
    expect(valuesOf(record, "x-m2m-client-id")).toEqual([clientOf(env, "reader").clientId]);
    expect(valuesOf(record, "x-m2m-scopes")).toEqual([scopeClaimOf(token)]);
    expect(JSON.stringify(record.rawHeaders)).not.toMatch(/forged|evil|"admin"/);
  });

  it("takes the identity from the scope checker's context on its routes, and passes the body on", async () => {
    const token = await tokenOf("billing");
    const res = await fetch(`${env.apiUrl}/refunds/r-9`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "X-M2M-Client-Id": "forged" },
      body: '{"amount":5}',
    });
    expect(res.status).toBe(207);
    const record = seen.at(-1)!;
    expect([record.method, record.url, record.body]).toEqual(["POST", "/refunds/r-9", '{"amount":5}']);
    expect(valuesOf(record, "x-m2m-client-id")).toEqual([clientOf(env, "billing").clientId]);
    expect(valuesOf(record, "x-m2m-scopes")).toEqual([scopeClaimOf(token)]);
  });

  it("refuses before the backend: a caller without the scope never reaches the upstream", async () => {
    const before = seen.length;
    const res = await fetch(`${env.apiUrl}/orders/3`, { headers: { authorization: `Bearer ${await tokenOf("3rd-party")}`, "X-M2M-Client-Id": "forged" } });
    expect(res.status).toBe(401);
    expect(seen.length).toBe(before);
  });

  it("answers 504 past the integration timeout and 502 when the backend is unreachable", async () => {
    const token = await tokenOf("reader");
    const slow = await fetch(`${env.apiUrl}/slow`, { headers: { authorization: `Bearer ${token}` } });
    expect([slow.status, await slow.json()]).toEqual([504, { message: "Endpoint request timed out" }]);
    const gone = await fetch(`${env.apiUrl}/gone`, { headers: { authorization: `Bearer ${token}` } });
    expect([gone.status, await gone.json()]).toEqual([502, { message: "Internal server error" }]);
  });
});

describe("Lambda backends, run in-process from their source", () => {
  async function echo(path: string, client: string, headers: Record<string, string> = {}) {
    const res = await fetch(`${env.apiUrl}${path}`, { headers: { authorization: `Bearer ${await tokenOf(client)}`, ...headers } });
    return { status: res.status, handlerHeader: res.headers.get("x-handler"), body: (await res.json()) as Record<string, any> };
  }

  it("gives the handler the REST proxy event, and callerOf the client the native authorizer let through", async () => {
    const { status, handlerHeader, body } = await echo("/echo/e-1?q=a&q=b", "reader", { "X-M2M-Client-Id": "forged" });
    expect([status, handlerHeader]).toEqual([200, "echo"]);
    expect(body).toMatchObject({
      caller: { clientId: clientOf(env, "reader").clientId, scopes: [scopeIdentifier(env.apiUrl, "read")] },
      authorizerKeys: ["claims"],
      resource: "/echo/{id}",
      path: "/echo/e-1",
      httpMethod: "GET",
      pathParameters: { id: "e-1" },
      queryStringParameters: { q: "b" },
      multiValueQueryStringParameters: { q: ["a", "b"] },
      body: null,
      isBase64Encoded: false,
      stage: "dev",
    });
    // The caller's header reaches the handler as a header, never as its identity.
    expect(body.forgedHeader).toBe("forged");
  });

  it("gives callerOf the same identity through the scope checker's context (one function for both routes)", async () => {
    const { status, body } = await echo("/echo-checked", "billing");
    expect(status).toBe(200);
    expect(body.caller.clientId).toBe(clientOf(env, "billing").clientId);
    expect(body.caller.scopes).toEqual(expect.arrayContaining([scopeIdentifier(env.apiUrl, "payments.read"), scopeIdentifier(env.apiUrl, "payments.write")]));
    expect(body.authorizerKeys).toEqual(["clientId", "integrationLatency", "principalId", "scope"]);
  });

  it("answers 502 when the handler throws, returns a malformed result, is not a function or times out", async () => {
    for (const path of ["/throws", "/malformed", "/not-a-function", "/late"]) {
      const { status, body } = await echo(path, "reader");
      expect({ path, status, body }).toEqual({ path, status: 502, body: { message: "Internal server error" } });
    }
    expect(logLines).toEqual(expect.arrayContaining([expect.stringContaining("echo.ts#throws failed: Error: backend broke")]));
    expect(logLines.some((l) => l.includes("echo.ts#slow timed out after 1 s"))).toBe(true);
  });

  it("answers 502 for an existing function by ARN (it cannot run offline) and says why on the log", async () => {
    const { status } = await echo("/existing", "reader");
    expect(status).toBe(502);
    expect(logLines.some((l) => l.includes("arn:aws:lambda:eu-west-1:123456789012:function:existing"))).toBe(true);
  });

  it("runs the default config's payments handler: 202 naming the calling client, 400 for a body that is not a payment", async () => {
    const token = await tokenOf("billing");
    const post = (body: string) => fetch(`${env.apiUrl}/payments`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body });
    const accepted = await post('{"amount":1999,"currency":"EUR","reference":"inv-1"}');
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toEqual({ status: "accepted", paymentId: expect.stringMatching(/^[0-9a-f-]{36}$/), clientId: clientOf(env, "billing").clientId, payment: { amount: 1999, currency: "EUR", reference: "inv-1" } });
    const refused = await post('{"amount":-1,"currency":"EUR"}');
    expect([refused.status, await refused.json()]).toEqual([400, { message: "amount must be a positive whole number (minor units)" }]);
  });

  it("never writes a token or a header value into its failure notes", async () => {
    const token = await tokenOf("reader");
    for (const line of logLines) {
      expect(line).not.toContain(token.split(".")[2]!);
      expect(line).not.toContain("forged");
    }
  });
});
