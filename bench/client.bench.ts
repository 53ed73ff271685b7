/**
 * `npm run bench:client`: what caching tokens saves. Side by side in one run, against the offline
 * token endpoint on 127.0.0.1, the token requests (and Cognito's charge for them) of 100,000 API
 * calls made the way the seed scripts make them (a token per call) and through the token client.
 *
 * The API calls themselves are not made: each simulated call does what it would do for a token
 * (the seed way: a real token request; the client way: `getToken()`), and the token endpoint
 * counts the requests it served. The seed way is measured on a sample of real requests and the
 * time extrapolated (its request count is one per call by construction, and the sample checks it).
 */
import { setDecisionLogSink } from "../lambdas/scope-checker/decision-log";
import { createTokenClient } from "../client/token-client";
import { startLocalEnvironment } from "../local/local-environment";
import config from "../m2m.config";
import { validateConfig } from "../model/validate";

/**
 * Cognito's M2M charge per 1,000 successful token requests (client-credentials grant), USD, first
 * pricing tier (US East). Source: https://aws.amazon.com/cognito/pricing/ ("Machine-to-machine
 * (M2M) authorization": token requests are billed per successful response, from $2.25 per 1,000,
 * graduated tiers above; each M2M app client is also billed monthly, which caching does not change).
 * Cross-checked with the billing code CUPM2MTokenRequestsFull ("$2.250 per 1000 token requests").
 */
const USD_PER_1000_TOKEN_REQUESTS = 2.25;

const API_CALLS = 100_000;
/** Real token requests made the seed way, then extrapolated to API_CALLS. */
const SEED_SAMPLE = 1_000;
/** The 24-hour scenario spreads the calls evenly over a simulated day. */
const DAY_SECONDS = 24 * 60 * 60;
const CLIENT = "reader";

const usd = (requests: number) => (requests / 1000) * USD_PER_1000_TOKEN_REQUESTS;
const money = (value: number) => (value >= 1 ? `$${value.toFixed(2)}` : `$${value.toFixed(4)}`);
const count = (value: number) => value.toLocaleString("en-US");
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  setDecisionLogSink(() => undefined);
  const model = validateConfig(config);
  const env = await startLocalEnvironment({ model, environment: "dev", port: 0 });
  const client = env.credentials.clients.find((c) => c.name === CLIENT)!;
  const validity = model.environments.find((e) => e.name === "dev")!.clients.find((c) => c.name === CLIENT)!.accessTokenValidity;
  const basic = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`;

  try {
    // 1. The seed scripts' way: every API call starts with its own token request.
    let before = env.metrics.tokensIssued;
    let started = performance.now();
    for (let i = 0; i < SEED_SAMPLE; i++) {
      const res = await fetch(env.tokenEndpoint, {
        method: "POST",
        headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" },
        body: "grant_type=client_credentials",
      });
      if (res.status !== 200) throw new Error(`seed-way token request failed: HTTP ${res.status}`);
      await res.arrayBuffer();
    }
    const seedSampleMs = performance.now() - started;
    const seedSampleRequests = env.metrics.tokensIssued - before;
    const seedRequests = (seedSampleRequests / SEED_SAMPLE) * API_CALLS;

    // 2. The token client, all calls in one burst.
    before = env.metrics.tokensIssued;
    started = performance.now();
    const burst = createTokenClient({ tokenEndpoint: env.tokenEndpoint, clientId: client.clientId, clientSecret: client.clientSecret });
    for (let i = 0; i < API_CALLS; i++) await burst.getToken();
    const burstMs = performance.now() - started;
    const burstRequests = env.metrics.tokensIssued - before;

    // 3. The token client, calls spread over 24 hours: a simulated clock, real token requests.
    before = env.metrics.tokensIssued;
    let simulatedNow = Date.now();
    const stepMs = (DAY_SECONDS * 1000) / API_CALLS;
    const spread = createTokenClient({ tokenEndpoint: env.tokenEndpoint, clientId: client.clientId, clientSecret: client.clientSecret, now: () => simulatedNow });
    started = performance.now();
    for (let i = 0; i < API_CALLS; i++) {
      await spread.getToken();
      simulatedNow += stepMs;
    }
    const spreadMs = performance.now() - started;
    const spreadRequests = env.metrics.tokensIssued - before;

    const rows = [
      ["seed scripts: a token per call", `${count(seedRequests)} (extrapolated)`, money(usd(seedRequests)), `${count(SEED_SAMPLE)} real requests (${count(seedSampleRequests)} served) in ${seconds(seedSampleMs)}; x${API_CALLS / SEED_SAMPLE} = ~${seconds((seedSampleMs * API_CALLS) / SEED_SAMPLE)}`],
      ["token client, one burst", count(burstRequests), money(usd(burstRequests)), `${count(API_CALLS)} getToken() in ${seconds(burstMs)}`],
      ["token client, spread over 24 h", count(spreadRequests), money(usd(spreadRequests)), `${count(API_CALLS)} getToken() on a simulated clock in ${seconds(spreadMs)}`],
    ];
    const header = ["way", "token requests", "Cognito charge", "measured"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join("  ");

    console.log(`Token requests for ${count(API_CALLS)} API calls by client "${CLIENT}" (access tokens valid ${validity.value} ${validity.unit}, refreshed 60 s early)`);
    console.log(`offline token endpoint on 127.0.0.1; Cognito charge at $${USD_PER_1000_TOKEN_REQUESTS.toFixed(2)} per 1,000 successful token requests (first tier)`);
    console.log("");
    console.log(line(header));
    for (const row of rows) console.log(line(row));
    console.log("");
    console.log(`ratio, seed way / token client: ${count(Math.round(seedRequests / burstRequests))}x fewer token requests in one burst, ${count(Math.round(seedRequests / spreadRequests))}x fewer over 24 h`);
    console.log(`saved over 24 h: ${money(usd(seedRequests) - usd(spreadRequests))} per client per 100,000 calls`);
  } finally {
    await env.close();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:client failed: ${(error as Error).message}`);
  process.exitCode = 1;
});
