/**
 * fetchWithToken against the offline environment over real loopback HTTP: a 401 that a new token
 * can fix (the API stopped accepting the token) gets one refresh and one retry; a 401 that no
 * token fixes (a route the client may not call) costs at most one token request the first time
 * and none after, counted at the offline token endpoint.
 */
import { fetchWithToken } from "../../client/fetch-with-token";
import type { LocalEnvironment } from "../../local/local-environment";
import { sleep, startEnv, tokenClientFor } from "../local/local-test-kit";

let env: LocalEnvironment;
beforeAll(async () => {
  env = await startEnv();
});
afterAll(() => env.close());

/** A fetch that records the status of every API answer and the token each request carried. */
function recordingFetch() {
  const statuses: number[] = [];
  const bearers: string[] = [];
  const fetchImpl = async (input: string | URL, init?: RequestInit) => {
    bearers.push(new Headers(init?.headers).get("authorization") ?? "");
    const res = await fetch(input, init);
    statuses.push(res.status);
    return res;
  };
  return { statuses, bearers, fetch: fetchImpl };
}

/** A payment POST /payments (backends/payments.ts) accepts with 202. */
const json = { method: "POST", headers: { "content-type": "application/json" }, body: '{"amount":100,"currency":"EUR"}' };

describe("a route the client may not call (401 whatever the token)", () => {
  it("native authorizer, missing scope: one refresh on the first call, then no token request however many calls", async () => {
    const tokens = tokenClientFor(env, "reader");
    const cached = await tokens.getToken();
    const before = env.metrics.requests;
    const recorder = recordingFetch();

    const first = await fetchWithToken(tokens, `${env.apiUrl}/premium`, json, recorder);
    expect(first.status).toBe(401);
    expect(recorder.statuses).toEqual([401, 401]);
    expect(env.metrics.requests - before).toBe(1);
    const replacement = recorder.bearers[1]!;
    expect(replacement).not.toBe(`Bearer ${cached}`);

    for (let i = 0; i < 10; i++) expect((await fetchWithToken(tokens, `${env.apiUrl}/premium`, json, recorder)).status).toBe(401);
    expect(recorder.statuses).toHaveLength(2 + 10); // no retries
    expect(env.metrics.requests - before).toBe(1); // no token requests
    expect(new Set(recorder.bearers.slice(1))).toEqual(new Set([replacement]));

    // The kept token still works where the client may call.
    const allowed = await fetchWithToken(tokens, `${env.apiUrl}/premium`, { method: "GET" }, recorder);
    expect([allowed.status, await allowed.json()]).toEqual([200, { items: [] }]);
    expect(recorder.bearers.at(-1)).toBe(replacement);
    expect(env.metrics.requests - before).toBe(1);
  });

  it("a token obtained for the call and refused at once is not refreshed: one token request in all", async () => {
    const tokens = tokenClientFor(env, "billing");
    const before = env.metrics.requests;
    const recorder = recordingFetch();
    for (let i = 0; i < 5; i++) expect((await fetchWithToken(tokens, `${env.apiUrl}/premium`, { method: "GET" }, recorder)).status).toBe(401);
    expect(recorder.statuses).toEqual([401, 401, 401, 401, 401]);
    expect(env.metrics.requests - before).toBe(1);
    const allowed = await fetchWithToken(tokens, `${env.apiUrl}/payments`, json, recorder);
    expect(allowed.status).toBe(202);
    expect(new Set(recorder.bearers).size).toBe(1);
    expect(env.metrics.requests - before).toBe(1);
  });

  it("scope checker, client not on its allow-list: the same, one token request in all", async () => {
    const tokens = tokenClientFor(env, "writer");
    await tokens.getToken();
    const before = env.metrics.requests;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await fetchWithToken(tokens, `${env.apiUrl}/payments`, json)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    expect(env.metrics.requests - before).toBe(1);
  });

  it("concurrent callers share the one refresh", async () => {
    const tokens = tokenClientFor(env, "3rd-party");
    await tokens.getToken();
    const before = env.metrics.requests;
    const burst = () => Promise.all(Array.from({ length: 20 }, () => fetchWithToken(tokens, `${env.apiUrl}/premium`).then((r) => r.status)));
    expect(new Set(await burst())).toEqual(new Set([401]));
    expect(new Set(await burst())).toEqual(new Set([401]));
    expect(env.metrics.requests - before).toBe(1);
  });

  it("keeps the caller's headers and adds the bearer token", async () => {
    const tokens = tokenClientFor(env, "writer");
    const res = await fetchWithToken(tokens, `${env.apiUrl}/premium`, json);
    expect([res.status, await res.json()]).toEqual([201, { created: true }]);
  });
});

describe("a token the API no longer accepts (tokens that live one second)", () => {
  let shortLived: LocalEnvironment;
  beforeAll(async () => {
    shortLived = await startEnv({ accessTokenLifetimeSeconds: 1 });
  });
  afterAll(() => shortLived.close());

  it("gets one refresh and one retry, every time the API stops accepting the token", async () => {
    // This client's clock stands still: it believes its tokens valid after the API stopped accepting them.
    const frozenNow = Date.now();
    const stale = tokenClientFor(shortLived, "reader", { now: () => frozenNow });
    await stale.getToken();
    const before = shortLived.metrics.requests;
    const premium = `${shortLived.apiUrl}/premium`;
    const recorder = recordingFetch();

    await sleep(1100);
    const recovered = await fetchWithToken(stale, premium, { method: "GET" }, recorder);
    expect([recovered.status, await recovered.json()]).toEqual([200, { items: [] }]);
    expect(recorder.statuses).toEqual([401, 200]);
    expect(shortLived.metrics.requests - before).toBe(1);

    // The replacement was accepted, so it is an ordinary token: when it too expires, it gets its refresh.
    await sleep(1100);
    expect((await fetchWithToken(stale, premium, { method: "GET" }, recorder)).status).toBe(200);
    expect(recorder.statuses).toEqual([401, 200, 401, 200]);
    expect(shortLived.metrics.requests - before).toBe(2);
  });
});
