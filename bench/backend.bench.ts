/**
 * `npm run bench:backend` — what real backends cost, measured in one run:
 *  - each backend function's bundle (the default config's handlers): bytes and build time;
 *  - the handler's cold init: a fresh Node process importing the bundle, then its first call
 *    with a REST proxy event (and a second, warm call);
 *  - the offline environment's added latency per call: the same scope-checker route served by
 *    the mock, by the Lambda handler in-process, and by an HTTP backend on 127.0.0.1, over real
 *    HTTP with keep-alive, in interleaved rounds so machine noise hits all three alike.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { createTokenClient } from "../client/token-client";
import { bundleBackendFunctions } from "../constructs/lambda-bundle";
import { setDecisionLogSink } from "../lambdas/scope-checker/decision-log";
import { startLocalEnvironment } from "../local/local-environment";
import defaultConfig from "../m2m.config";
import type { M2MConfigInput } from "../model/config-types";
import { validateConfig } from "../model/validate";

const COLD_STARTS = 7;
const ROUNDS = 20;
const CALLS_PER_ROUND = 40;
const PAYMENT = JSON.stringify({ amount: 1250, currency: "EUR", reference: "bench" });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const range = (xs: number[], digits: number) => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;

/** A REST proxy event as API Gateway sends it after the native authorizer. */
const EVENT = {
  resource: "/payments",
  path: "/payments",
  httpMethod: "POST",
  headers: { "content-type": "application/json" },
  multiValueHeaders: { "content-type": ["application/json"] },
  queryStringParameters: null,
  multiValueQueryStringParameters: null,
  pathParameters: null,
  stageVariables: null,
  requestContext: {
    accountId: "123456789012", apiId: "abc123defg", stage: "prod", resourcePath: "/payments", httpMethod: "POST", path: "/prod/payments",
    protocol: "HTTP/1.1", requestId: "bench", requestTimeEpoch: 0, identity: { sourceIp: "203.0.113.9", userAgent: "bench" },
    authorizer: { principalId: "bench0client0id00000000001", clientId: "bench0client0id00000000001", scope: "https://abc123defg.execute-api.eu-west-1.amazonaws.com/prod/payments.write" },
  },
  body: PAYMENT,
  isBase64Encoded: false,
};

function runChild(script: string, env: NodeJS.ProcessEnv): Promise<{ load: number; first: number; warm: number }> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ["--input-type=module", "-e", script], { env, timeout: 20_000 }, (err, _stdout, stderr) =>
      err ? reject(new Error(`cold start failed: ${stderr || err.message}`)) : resolve(JSON.parse(stderr)),
    ),
  );
}

async function coldInit(bundleFile: string, exportName: string) {
  const script = `
    const event = JSON.parse(process.env.EVENT);
    const t0 = performance.now();
    const mod = await import(process.env.BUNDLE_URL);
    const t1 = performance.now();
    const first = await mod[process.env.EXPORT](event);
    const t2 = performance.now();
    await mod[process.env.EXPORT](event);
    const t3 = performance.now();
    if (first.statusCode !== 202) throw new Error("unexpected status " + first.statusCode);
    process.stderr.write(JSON.stringify({ load: t1 - t0, first: t2 - t1, warm: t3 - t2 }));`;
  const env = { PATH: process.env.PATH ?? "", BUNDLE_URL: pathToFileURL(bundleFile).href, EXPORT: exportName, EVENT: JSON.stringify(EVENT) };
  const runs = { load: [] as number[], first: [] as number[], warm: [] as number[] };
  for (let i = 0; i < COLD_STARTS; i++) {
    const r = await runChild(script, env);
    runs.load.push(r.load);
    runs.first.push(r.first);
    runs.warm.push(r.warm);
  }
  return runs;
}

/** The same scope-checker route three ways: mock, the payments handler, an HTTP backend on loopback. */
async function offlineLatency() {
  const upstream = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(202, { "content-type": "application/json" });
      res.end('{"status":"accepted"}');
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  // The payments API of the default config gains the same route with a mock and with an HTTP backend.
  const payments = defaultConfig.apis.find((a) => a.name === "payments")!;
  const base = payments.routes.find((r) => r.path === "/payments")!;
  const config: M2MConfigInput = {
    ...defaultConfig,
    apis: defaultConfig.apis.map((api) =>
      api !== payments
        ? api
        : {
            ...api,
            routes: [
              ...api.routes,
              { method: "POST", path: "/payments-mock", scopes: base.scopes, authorizer: "scope-checker", response: { status: 202, body: { status: "accepted" } } },
              { method: "POST", path: "/payments-http", scopes: base.scopes, authorizer: "scope-checker", backend: { type: "http", url: "https://payments.example.com/payments", localUrl: `${upstreamUrl}/payments` } },
            ],
          },
    ),
  };
  setDecisionLogSink(() => undefined);
  const env = await startLocalEnvironment({ model: validateConfig(config), environment: "dev", port: 0 });
  try {
    const billing = env.credentials.clients.find((c) => c.name === "billing")!;
    const token = await createTokenClient({ tokenEndpoint: env.tokenEndpoint, clientId: billing.clientId, clientSecret: billing.clientSecret }).getToken();
    const call = async (p: string) => {
      const t0 = performance.now();
      const res = await fetch(`${env.apiUrlOf("payments")}${p}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: PAYMENT });
      await res.arrayBuffer();
      const ms = performance.now() - t0;
      if (res.status !== 202) throw new Error(`${p}: HTTP ${res.status}`);
      return ms;
    };
    const samples: Record<string, number[]> = { "/payments-mock": [], "/payments": [], "/payments-http": [] };
    // Warm up: the handler's first require (its cold start offline) and the connections.
    for (const p of Object.keys(samples)) for (let i = 0; i < 20; i++) await call(p);
    for (let round = 0; round < ROUNDS; round++) {
      for (const p of Object.keys(samples)) for (let i = 0; i < CALLS_PER_ROUND; i++) samples[p]!.push(await call(p));
    }
    return samples;
  } finally {
    await env.close();
    upstream.close();
  }
}

async function main(): Promise<void> {
  const model = validateConfig(defaultConfig);
  const dir = mkdtempSync(path.join(tmpdir(), "m2m-bench-backend-"));
  try {
    const t0 = performance.now();
    const functions = model.apis.flatMap((a) => a.backendFunctions);
    const bundles = bundleBackendFunctions(functions, dir);
    const bundleMs = performance.now() - t0;
    console.log(`route backends — node ${process.version}, ${COLD_STARTS} cold starts, ${ROUNDS} interleaved rounds x ${CALLS_PER_ROUND} calls per route`);
    console.log("");
    console.log(`bundles (esbuild, minified, no source map; ${bundleMs.toFixed(0)} ms for ${bundles.size}):`);
    for (const fn of functions) {
      const file = bundles.get(fn.key)!;
      const cold = await coldInit(file, fn.exportName);
      console.log(`  ${fn.file}#${fn.exportName}: ${statSync(file).size} bytes`);
      console.log(`    cold init: module load ${median(cold.load).toFixed(1)} ms (${range(cold.load, 1)}), first call ${median(cold.first).toFixed(2)} ms (${range(cold.first, 2)}), warm call ${median(cold.warm).toFixed(3)} ms`);
    }
    console.log("");
    const samples = await offlineLatency();
    const mock = samples["/payments-mock"]!;
    console.log("offline environment, POST through the scope checker, per call (median / p95 ms):");
    for (const [label, key] of [["mock integration", "/payments-mock"], ["Lambda handler (in-process)", "/payments"], ["HTTP backend (127.0.0.1)", "/payments-http"]] as const) {
      const xs = samples[key]!;
      const added = key === "/payments-mock" ? "" : `  added vs mock: ${(median(xs) - median(mock)).toFixed(3)} ms`;
      console.log(`  ${label.padEnd(30)} ${median(xs).toFixed(3)} / ${quantile(xs, 0.95).toFixed(3)}${added}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
