/**
 * The token client against the offline token endpoint over real loopback HTTP: caching, one
 * shared request for concurrent callers, refresh after expiry, retries of 429/5xx/network
 * errors, final OAuth errors, and no secret in any error or log. (fetchWithToken: its own file.)
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { OAuthError, TokenClientConfigError, TokenEndpointUnavailableError, TokenResponseError } from "../../client/errors";
import { createTokenClient } from "../../client/token-client";
import type { LocalEnvironment } from "../../local/local-environment";
import { scopeIdentifier } from "../../model/aws-urls";
import { clientOf, decodeJwt, sleep, startEnv, tokenClientFor } from "../local/local-test-kit";

let env: LocalEnvironment;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(() => env.close());

/** Records the delays the client asks for, without waiting. */
function recordingSleep() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

/**
 * A loopback HTTP server in front of the token endpoint that answers the first requests from a
 * script (a status and headers) and forwards the rest, counting every request it sees.
 */
async function startScriptedProxy(target: string, script: { status: number; headers?: Record<string, string> }[]) {
  let seen = 0;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const step = script[seen++];
    if (step) {
      res.writeHead(step.status, { "content-type": "application/json", ...step.headers });
      res.end(JSON.stringify({ message: "scripted" }));
      return;
    }
    const forwarded = await fetch(target, { method: req.method!, headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) });
    res.writeHead(forwarded.status, { "content-type": forwarded.headers.get("content-type") ?? "application/json" });
    res.end(await forwarded.text());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/token`,
    get seen() {
      return seen;
    },
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/oauth2/token`;
}

describe("caching", () => {
  it("makes one token request for many calls", async () => {
    const tokens = tokenClientFor(env, "reader");
    const before = env.metrics.requests;
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(await tokens.getToken());
    expect(seen.size).toBe(1);
    expect(env.metrics.requests - before).toBe(1);
    const res = await fetch(`${env.apiUrl}/premium`, { headers: { authorization: `Bearer ${[...seen][0]}` } });
    expect(res.status).toBe(200);
  });

  it("makes one token request for 50 concurrent callers", async () => {
    const tokens = tokenClientFor(env, "writer");
    const before = env.metrics.requests;
    const results = await Promise.all(Array.from({ length: 50 }, () => tokens.getToken()));
    expect(new Set(results).size).toBe(1);
    expect(env.metrics.requests - before).toBe(1);
  });

  it("requests the configured scopes only", async () => {
    const write = scopeIdentifier(env.apiUrl, "write");
    const token = await tokenClientFor(env, "writer", { scopes: [write] }).getToken();
    expect(decodeJwt(token).payload.scope).toBe(write);
  });

  it("does not cache a failure: concurrent callers share it, the next call asks again", async () => {
    const c = clientOf(env, "reader");
    const tokens = createTokenClient({ tokenEndpoint: env.tokenEndpoint, clientId: c.clientId, clientSecret: "wrong" });
    const before = env.metrics.requests;
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => tokens.getToken()));
    expect(results.every((r) => r.status === "rejected" && r.reason instanceof OAuthError)).toBe(true);
    expect(env.metrics.requests - before).toBe(1);
    await expect(tokens.getToken()).rejects.toBeInstanceOf(OAuthError);
    expect(env.metrics.requests - before).toBe(2);
  });
});

describe("expiry (tokens that live one second)", () => {
  let shortLived: LocalEnvironment;
  beforeAll(async () => {
    shortLived = await startEnv({ accessTokenLifetimeSeconds: 1 });
  });
  afterAll(() => shortLived.close());

  it("refreshes after expiry: a new token, one more request, and the API accepts only the new one", async () => {
    const tokens = tokenClientFor(shortLived, "reader");
    const first = await tokens.getToken();
    expect(shortLived.metrics.requests).toBe(1);
    const premium = `${shortLived.apiUrl}/premium`;
    expect((await fetch(premium, { headers: { authorization: `Bearer ${first}` } })).status).toBe(200);

    await sleep(1100);

    const second = await tokens.getToken();
    expect(second).not.toBe(first);
    expect(shortLived.metrics.requests).toBe(2);
    expect((await fetch(premium, { headers: { authorization: `Bearer ${first}` } })).status).toBe(401);
    expect((await fetch(premium, { headers: { authorization: `Bearer ${second}` } })).status).toBe(200);
  });
});

describe("retries", () => {
  it("retries a 429, honouring Retry-After, then succeeds", async () => {
    const proxy = await startScriptedProxy(env.tokenEndpoint, [{ status: 429, headers: { "retry-after": "1" } }]);
    try {
      const { delays, sleep: fakeSleep } = recordingSleep();
      const c = clientOf(env, "reader");
      const before = env.metrics.tokensIssued;
      const token = await createTokenClient({ tokenEndpoint: proxy.url, clientId: c.clientId, clientSecret: c.clientSecret, sleep: fakeSleep }).getToken();
      expect(decodeJwt(token).payload.client_id).toBe(c.clientId);
      expect(proxy.seen).toBe(2);
      expect(delays).toEqual([1000]);
      expect(env.metrics.tokensIssued - before).toBe(1);
    } finally {
      await proxy.close();
    }
  });

  it("retries 5xx with bounded, jittered exponential backoff, then gives up with a typed error", async () => {
    const proxy = await startScriptedProxy(env.tokenEndpoint, Array.from({ length: 10 }, () => ({ status: 503 })));
    try {
      const { delays, sleep: fakeSleep } = recordingSleep();
      const c = clientOf(env, "reader");
      const tokens = createTokenClient({
        tokenEndpoint: proxy.url, clientId: c.clientId, clientSecret: c.clientSecret, sleep: fakeSleep, random: () => 0.999,
        retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250 },
      });
      const error = await tokens.getToken().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenEndpointUnavailableError);
      expect(error).toMatchObject({ attempts: 4, lastFailure: "HTTP 503", message: "token endpoint unavailable after 4 attempts: HTTP 503" });
      expect(proxy.seen).toBe(4);
      expect(delays).toEqual([99, 199, 249]); // 100, 200, then capped at 250 — times the jitter
    } finally {
      await proxy.close();
    }
  });

  it("retries network errors", async () => {
    const { delays, sleep: fakeSleep } = recordingSleep();
    const tokens = createTokenClient({ tokenEndpoint: await closedPortUrl(), clientId: "id", clientSecret: "secret", sleep: fakeSleep, retry: { maxAttempts: 3 } });
    await expect(tokens.getToken()).rejects.toThrow(new TokenEndpointUnavailableError(3, "network error (ECONNREFUSED)"));
    expect(delays).toHaveLength(2);
  });

  it("does not retry invalid_client: a typed OAuth error after exactly one request", async () => {
    const { delays, sleep: fakeSleep } = recordingSleep();
    const c = clientOf(env, "reader");
    const before = env.metrics.requests;
    const error = await createTokenClient({ tokenEndpoint: env.tokenEndpoint, clientId: c.clientId, clientSecret: "wrong", sleep: fakeSleep })
      .getToken()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ code: "invalid_client", status: 400, description: undefined });
    expect(env.metrics.requests - before).toBe(1);
    expect(delays).toEqual([]);
  });

  it("does not retry invalid_scope", async () => {
    const before = env.metrics.requests;
    const error = await tokenClientFor(env, "reader", { scopes: [scopeIdentifier(env.apiUrl, "write")] }).getToken().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "OAuthError", code: "invalid_scope", status: 400 });
    expect(env.metrics.requests - before).toBe(1);
  });

  it("reports a URL that is not a token endpoint as an unexpected answer, not retried", async () => {
    const c = clientOf(env, "reader");
    const { delays, sleep: fakeSleep } = recordingSleep();
    const error = await createTokenClient({ tokenEndpoint: `${env.url}/oauth2/nope`, clientId: c.clientId, clientSecret: c.clientSecret, sleep: fakeSleep })
      .getToken()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenResponseError);
    expect((error as Error).message).toBe("token endpoint gave an unexpected answer: not an OAuth error response, HTTP 403");
    expect(delays).toEqual([]);
  });
});

describe("configuration", () => {
  it("refuses to send the secret anywhere but https or this machine", () => {
    const make = (tokenEndpoint: string) => () => createTokenClient({ tokenEndpoint, clientId: "id", clientSecret: "secret" });
    expect(make("http://auth.example.com/oauth2/token")).toThrow(new TokenClientConfigError("tokenEndpoint", "must use https (plain http only to 127.0.0.1 or localhost)"));
    expect(make("/oauth2/token")).toThrow("token client misconfigured: tokenEndpoint must be an absolute URL");
    expect(make("https://m2m-demo-dev.auth.eu-west-1.amazoncognito.com/oauth2/token")).not.toThrow();
    expect(make("http://localhost:8080/oauth2/token")).not.toThrow();
    expect(() => createTokenClient({ tokenEndpoint: "https://x.example/oauth2/token", clientId: "id", clientSecret: "" })).toThrow(TokenClientConfigError);
  });
});

describe("the secret", () => {
  it("appears in no error, no inspected object and no log line", async () => {
    const secret = "s3cr3t-VALUE-that-must-never-leak-4242";
    const written: string[] = [];
    const spies = [
      ...(["log", "info", "warn", "error", "debug"] as const).map((m) => jest.spyOn(console, m).mockImplementation((...args) => void written.push(args.map(String).join(" ")))),
      jest.spyOn(process.stdout, "write").mockImplementation((chunk) => (written.push(String(chunk)), true)),
      jest.spyOn(process.stderr, "write").mockImplementation((chunk) => (written.push(String(chunk)), true)),
    ];
    const errors: unknown[] = [];
    const proxy = await startScriptedProxy(env.tokenEndpoint, Array.from({ length: 5 }, () => ({ status: 500 })));
    try {
      const c = clientOf(env, "reader");
      const fast = { sleep: async () => undefined, retry: { maxAttempts: 2 } };
      const clients = [
        createTokenClient({ tokenEndpoint: env.tokenEndpoint, clientId: c.clientId, clientSecret: secret, ...fast }), // invalid_client
        createTokenClient({ tokenEndpoint: proxy.url, clientId: c.clientId, clientSecret: secret, ...fast }), // 5xx
        createTokenClient({ tokenEndpoint: await closedPortUrl(), clientId: c.clientId, clientSecret: secret, ...fast }), // network
        createTokenClient({ tokenEndpoint: `${env.url}/elsewhere`, clientId: c.clientId, clientSecret: secret, ...fast }), // not an endpoint
      ];
      for (const endpoint of ["not a url", "http://example.com/oauth2/token"]) {
        try {
          createTokenClient({ tokenEndpoint: endpoint, clientId: c.clientId, clientSecret: secret });
        } catch (error) {
          errors.push(error);
        }
      }
      expect(errors).toHaveLength(2);
      for (const tokens of clients) {
        errors.push(await tokens.getToken().catch((e: unknown) => e));
        written.push(inspect(tokens, { showHidden: true, depth: 10 }));
      }
    } finally {
      spies.forEach((s) => s.mockRestore());
      await proxy.close();
    }
    expect(errors.every((e) => e instanceof Error)).toBe(true);
    const basicForm = Buffer.from(`${clientOf(env, "reader").clientId}:${secret}`).toString("base64");
    for (const error of errors) {
      const views = [String(error), (error as Error).stack ?? "", inspect(error, { showHidden: true, depth: 10 }), JSON.stringify(error)];
      for (const view of views) {
        expect(view).not.toContain(secret);
        expect(view).not.toContain(basicForm);
      }
    }
    for (const line of written) {
      expect(line).not.toContain(secret);
      expect(line).not.toContain(basicForm);
    }
  });
});
