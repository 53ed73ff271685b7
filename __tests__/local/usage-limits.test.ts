/**
 * Partner contracts, offline and end to end over real HTTP on 127.0.0.1: tokens from the local
 * token endpoint, the real scope-checker handler naming each client's usage key, the usage
 * plans of the config enforced on the metered route (429 with Retry-After), and the token
 * client's fetchWithToken waiting out a throttled burst but not a spent quota, never asking
 * for a new token because of a 429.
 */
import { fetchWithToken } from "../../client/fetch-with-token";
import { quotaPeriodBounds } from "../../local/usage-meter";
import { validateConfig } from "../../model/validate";
import { limitedConfig } from "../support/limited-config";
import { startEnv, tokenClientFor } from "./local-test-kit";

const model = validateConfig(limitedConfig());
// A fixed, controllable clock for the usage plans: 10:00 UTC on a Wednesday.
const START = Date.UTC(2026, 11, 2, 10, 0, 0);
let clock = START;
const now = () => clock;

/** A payment the default config's real handler (backends/payments.ts) accepts with 202. */
const PAYMENT = JSON.stringify({ amount: 1250, currency: "EUR" });

async function pay(env: Awaited<ReturnType<typeof startEnv>>, token: string) {
  const response = await fetch(`${env.apiUrl}/payments`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: PAYMENT });
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body: (await response.json()) as { message?: string } };
}

let env: Awaited<ReturnType<typeof startEnv>>;
beforeEach(async () => {
  clock = START;
  env = await startEnv({ model, now });
});
afterEach(() => env.close());

test("settlement (2 req/s, burst 3, 6 per day): the burst, then 429 with Retry-After, refill, then the quota until the next UTC day", async () => {
  const token = await tokenClientFor(env, "settlement").getToken();
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await pay(env, token)).status);
  expect(statuses).toEqual([202, 202, 202]);
  const throttled = await pay(env, token);
  expect(throttled).toEqual({ status: 429, retryAfter: "1", body: { message: "Too Many Requests" } });

  clock += 1000; // two tokens back at 2 per second
  expect((await pay(env, token)).status).toBe(202);
  expect((await pay(env, token)).status).toBe(202);
  expect((await pay(env, token)).status).toBe(429); // throttled calls spend no quota: 5 counted so far
  clock += 1000;
  expect((await pay(env, token)).status).toBe(202); // the 6th call of the day
  const spent = await pay(env, token);
  expect(spent.status).toBe(429);
  expect(spent.body).toEqual({ message: "Limit Exceeded" });
  expect(Number(spent.retryAfter)).toBe(Math.ceil((quotaPeriodBounds("DAY", clock).end - clock) / 1000)); // until 00:00 UTC
  clock += 60 * 60 * 1000;
  expect((await pay(env, token)).status).toBe(429);

  clock = quotaPeriodBounds("DAY", clock).end;
  expect((await pay(env, token)).status).toBe(202);
});

test("each key has its own budget: billing's tier and the unmetered auditor are untouched by settlement's spending", async () => {
  const settlement = await tokenClientFor(env, "settlement").getToken();
  for (let i = 0; i < 5; i++) await pay(env, settlement);
  const billing = await tokenClientFor(env, "billing").getToken();
  const billingStatuses = [];
  for (let i = 0; i < 11; i++) billingStatuses.push((await pay(env, billing)).status);
  expect(billingStatuses).toEqual([...Array(10).fill(202), 429]); // the partner tier's burst of 10
  const auditor = await tokenClientFor(env, "auditor").getToken();
  const auditorStatuses = [];
  for (let i = 0; i < 30; i++) auditorStatuses.push((await pay(env, auditor)).status);
  expect(auditorStatuses).toEqual(Array(30).fill(202)); // the unmetered plan: the stage's throttling only
});

test("routes without a metered client are not metered: the limited clients' other calls and other clients pass as before", async () => {
  const writer = await tokenClientFor(env, "writer").getToken();
  const statuses = [];
  for (let i = 0; i < 20; i++) statuses.push((await fetch(`${env.apiUrl}/premium`, { headers: { authorization: `Bearer ${writer}` } })).status);
  expect(statuses).toEqual(Array(20).fill(200));
});

test("fetchWithToken waits out a throttled burst (Retry-After), returns a spent quota at once, and never asks for a new token because of a 429", async () => {
  const tokens = tokenClientFor(env, "settlement");
  const waits: number[] = [];
  const options = {
    // Waiting moves the usage plans' clock: a real wait, without the test sleeping.
    sleep: async (ms: number) => {
      waits.push(ms);
      clock += ms;
    },
    random: () => 0.5,
  };
  const call = () => fetchWithToken(tokens, `${env.apiUrl}/payments`, { method: "POST", headers: { "content-type": "application/json" }, body: PAYMENT }, options);
  const statuses = [];
  for (let i = 0; i < 6; i++) statuses.push((await call()).status);
  // Calls 4 and 6 met an empty bucket: each waited the Retry-After (1 s) once, then passed.
  expect(statuses).toEqual(Array(6).fill(202));
  expect(waits).toEqual([1000, 1000]);
  const spent = await call();
  expect(spent.status).toBe(429);
  expect(await spent.json()).toEqual({ message: "Limit Exceeded" });
  expect(waits).toHaveLength(2); // hours until the quota resets: no wait, no retry
  expect(env.metrics.requests).toBe(1);
  expect(env.metrics.tokensIssued).toBe(1);
});

test("fetchWithToken with retry: false returns the first 429; with a bounded policy it stops after maxAttempts calls", async () => {
  const tokens = tokenClientFor(env, "settlement");
  const calls: number[] = [];
  const counting = async (input: string | URL, init?: RequestInit) => {
    const response = await fetch(input, init);
    calls.push(response.status);
    return response;
  };
  const post = { method: "POST", headers: { "content-type": "application/json" }, body: PAYMENT };
  for (let i = 0; i < 3; i++) expect((await fetchWithToken(tokens, `${env.apiUrl}/payments`, post, { fetch: counting })).status).toBe(202);
  // The bucket is empty and the clock stands still: no wait can help.
  expect((await fetchWithToken(tokens, `${env.apiUrl}/payments`, post, { fetch: counting, retry: false })).status).toBe(429);
  expect(calls).toEqual([202, 202, 202, 429]);
  const waits: number[] = [];
  const stuck = await fetchWithToken(tokens, `${env.apiUrl}/payments`, post, { fetch: counting, retry: { maxAttempts: 3 }, sleep: async (ms) => void waits.push(ms) });
  expect(stuck.status).toBe(429);
  expect(calls.slice(4)).toEqual([429, 429, 429]);
  expect(waits).toEqual([1000, 1000]);
});
