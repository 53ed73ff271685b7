/**
 * `npm run bench:authorizer` — what the scope checker costs, measured side by side in one run:
 *  - per call: the handler (valid token, JWKS cached, Allow path) vs a bare RS256 verify of the
 *    same token with node:crypto, in interleaved rounds so machine noise hits both alike;
 *  - the minified bundle's size;
 *  - cold start: a fresh Node process importing the bundle, then its first call.
 * Decision log records are built as in production and serialized (as the runtime would) into a sink, not stdout.
 */
import { execFile } from "node:child_process";
import { createPublicKey, generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { CognitoJwtVerifier } from "aws-jwt-verify/cognito-verifier";
import { SCOPE_CHECKER_ENTRY, bundleLambda } from "../constructs/lambda-bundle";
import { setDecisionLogSink } from "../lambdas/scope-checker/decision-log";
import { createHandler } from "../lambdas/scope-checker/scope-checker";

const ROUNDS = 30;
const CALLS_PER_ROUND = 400;
const COLD_STARTS = 7;
const GOAL_RATIO = 1.5;
const GOAL_BUNDLE_BYTES = 50 * 1024;

const USER_POOL_ID = "eu-west-1_BenchPool1";
const RESOURCE_SERVER = "https://abc123defg.execute-api.eu-west-1.amazonaws.com/prod";
const CLIENT_ID = "bench0client0id00000000001";
const SCOPE_NAMES = ["payments.read", "payments.write", "orders.read"];
const ROUTES = [
  { method: "POST", path: "/payments", scopes: ["payments.read", "payments.write"] },
  { method: "GET", path: "/payments/{id}", scopes: ["payments.read"] },
  { method: "GET", path: "/orders", scopes: ["orders.read"] },
  { method: "GET", path: "/orders/{id}", scopes: ["orders.read"] },
  { method: "GET", path: "/orders/{id}/refunds", scopes: ["orders.read", "refunds.read"] },
  { method: "DELETE", path: "/orders/{id}", scopes: ["orders.write"] },
];

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

function signToken(privateKey: KeyObject, kid: string): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    sub: CLIENT_ID,
    token_use: "access",
    scope: SCOPE_NAMES.map((s) => `${RESOURCE_SERVER}/${s}`).join(" "),
    auth_time: now,
    iss: `https://cognito-idp.eu-west-1.amazonaws.com/${USER_POOL_ID}`,
    exp: now + 3600,
    iat: now,
    version: 2,
    jti: randomUUID(),
    client_id: CLIENT_ID,
  };
  const input = `${b64url({ kid, alg: "RS256" })}.${b64url(payload)}`;
  return `${input}.${sign("sha256", Buffer.from(input), privateKey).toString("base64url")}`;
}

const event = (token: string) => ({
  type: "REQUEST",
  methodArn: "arn:aws:execute-api:eu-west-1:123456789012:abc123defg/prod/POST/payments",
  resource: "/payments",
  path: "/payments",
  httpMethod: "POST",
  headers: { Host: "abc123defg.execute-api.eu-west-1.amazonaws.com", "User-Agent": "bench", Accept: "*/*", Authorization: `Bearer ${token}` },
  multiValueHeaders: null,
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

async function perCallCosts(token: string, publicKey: KeyObject, jwks: { keys: object[] }) {
  const handler = createHandler({
    userPoolId: USER_POOL_ID,
    clientIds: [CLIENT_ID],
    routes: ROUTES.map((r) => ({ ...r, scopes: r.scopes.map((s) => `${RESOURCE_SERVER}/${s}`) })),
    jwks,
  });
  let logBytes = 0;
  // The runtime serializes each record into a JSON log event; the sink does the same work.
  const restore = setDecisionLogSink((record) => {
    logBytes += JSON.stringify(record).length;
  });
  const request = event(token);
  const first = await handler(request);
  if (first.policyDocument.Statement[0]?.Effect !== "Allow") throw new Error("bench setup: the handler did not allow the token");

  const bareVerify = (jwt: string) => {
    const dot = jwt.lastIndexOf(".");
    return verify("RSA-SHA256", Buffer.from(jwt.slice(0, dot)), publicKey, Buffer.from(jwt.slice(dot + 1), "base64url"));
  };
  if (!bareVerify(token)) throw new Error("bench setup: bare verify failed");

  // The library alone, configured as the handler configures it (the client allow-list is the
  // scope checker's own check, after verification): shows how much of the handler's cost is
  // aws-jwt-verify (JSON parsing with a prototype-pollution reviver, shape regex, claim checks)
  // rather than the scope checker's own work.
  const library = CognitoJwtVerifier.create({ userPoolId: USER_POOL_ID, tokenUse: "access", clientId: null });
  library.cacheJwks(jwks as Parameters<typeof library.cacheJwks>[0]);

  // Lambda hands every invocation a freshly parsed event: fresh strings, nothing memoized by
  // identity. So each call gets its own JSON-parsed copy (made before timing), and the other
  // contenders get the token from a fresh copy too.
  const events = Array.from({ length: CALLS_PER_ROUND }, () => JSON.parse(JSON.stringify(request)) as typeof request);
  const tokens = Array.from({ length: CALLS_PER_ROUND }, () => JSON.parse(JSON.stringify(token)) as string);
  const timed = (call: (i: number) => unknown) => async () => {
    const start = process.hrtime.bigint();
    // Every contender is awaited, so all pay the same promise/microtask cost per call.
    for (let i = 0; i < CALLS_PER_ROUND; i++) await call(i);
    return Number(process.hrtime.bigint() - start) / CALLS_PER_ROUND / 1000;
  };
  const contenders = {
    handler: timed((i) => handler(events[i]!)),
    bare: timed((i) => bareVerify(tokens[i]!)),
    library: timed((i) => library.verifySync(tokens[i]!)),
  };
  const names = Object.keys(contenders) as (keyof typeof contenders)[];
  for (let i = 0; i < 5; i++) for (const name of names) await contenders[name]();
  const samples = { handler: [] as number[], bare: [] as number[], library: [] as number[] };
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate who goes first, so no contender always runs on a warmer or noisier slot.
    const order = names.map((_, i) => names[(i + round) % names.length]!);
    const times = {} as Record<keyof typeof contenders, number>;
    for (const name of order) times[name] = await contenders[name]();
    for (const name of names) samples[name].push(times[name]);
    ratios.push(times.handler / times.bare);
  }
  setDecisionLogSink(restore);
  return { handlerUs: samples.handler, bareUs: samples.bare, libraryUs: samples.library, ratios, logBytes };
}

async function coldStarts(bundleFile: string, token: string, jwks: { keys: object[] }) {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const env = {
    PATH: process.env.PATH ?? "",
    USER_POOL_ID,
    RESOURCE_SERVER_ID: RESOURCE_SERVER,
    CLIENT_IDS: JSON.stringify([CLIENT_ID]),
    ROUTES: JSON.stringify(ROUTES),
    JWKS_URI: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
    BUNDLE_URL: pathToFileURL(bundleFile).href,
    EVENT: JSON.stringify(event(token)),
  };
  // WAIT_MS > 0: let the JWKS load (started at module load) finish, so the first call has it cached.
  const script = (waitMs: number) => `
    const event = JSON.parse(process.env.EVENT);
    const t0 = performance.now();
    const { handler } = await import(process.env.BUNDLE_URL);
    const t1 = performance.now();
    if (${waitMs} > 0) await new Promise((r) => setTimeout(r, ${waitMs}));
    const t2 = performance.now();
    const first = await handler(event);
    const t3 = performance.now();
    await handler(event);
    const t4 = performance.now();
    if (first.policyDocument.Statement[0].Effect !== "Allow") throw new Error("not allowed");
    process.stderr.write(JSON.stringify({ load: t1 - t0, first: t3 - t2, warm: t4 - t3 }));`;
  const cached = { load: [] as number[], first: [] as number[], warm: [] as number[] };
  const loading: number[] = [];
  try {
    for (let i = 0; i < COLD_STARTS; i++) {
      const a = await runChildTimings(script(150), env);
      cached.load.push(a.load);
      cached.first.push(a.first);
      cached.warm.push(a.warm);
      loading.push((await runChildTimings(script(0), env)).first);
    }
  } finally {
    server.close();
  }
  return { cached, loading };
}

async function runChildTimings(script: string, env: Record<string, string>): Promise<{ load: number; first: number; warm: number }> {
  // Timings go to stderr: stdout carries the Lambda's decision log lines.
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ["--input-type=module", "-e", script], { env, timeout: 20_000 }, (err, _stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stderr)),
    ),
  );
}

async function main() {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = "bench-key";
  const jwk = publicKey.export({ format: "jwk" });
  const jwks = { keys: [{ ...jwk, kid, alg: "RS256", use: "sig" }] };
  const token = signToken(privateKey, kid);

  const perCall = await perCallCosts(token, createPublicKey(publicKey.export({ format: "pem", type: "spki" })), jwks);

  const dir = mkdtempSync(path.join(tmpdir(), "authorizer-bench-"));
  try {
    const started = process.hrtime.bigint();
    const bundle = bundleLambda({ entry: SCOPE_CHECKER_ENTRY, outFile: path.join(dir, "index.mjs") });
    const bundleMs = Number(process.hrtime.bigint() - started) / 1e6;
    const cold = await coldStarts(bundle.outFile, token, jwks);
    report(perCall, bundle.bytes, bundleMs, cold);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(
  perCall: Awaited<ReturnType<typeof perCallCosts>>,
  bundleBytes: number,
  bundleMs: number,
  cold: Awaited<ReturnType<typeof coldStarts>>,
) {
  const ratio = median(perCall.handlerUs) / median(perCall.bareUs);
  const verdict = (ok: boolean) => (ok ? "ok" : "OVER");
  const range = (xs: number[], digits: number) => `${quantile(xs, 0.1).toFixed(digits)} .. ${quantile(xs, 0.9).toFixed(digits)}`;
  const coldTotal = cold.cached.load.map((l, i) => l + cold.cached.first[i]!);
  const rows: [string, string, string, string][] = [
    ["handler, valid token, Allow (us/call)", median(perCall.handlerUs).toFixed(1), range(perCall.handlerUs, 1), ""],
    ["  of which aws-jwt-verify verifySync alone", median(perCall.libraryUs).toFixed(1), range(perCall.libraryUs, 1), `${(median(perCall.libraryUs) / median(perCall.bareUs)).toFixed(2)}x bare`],
    ["bare RS256 crypto.verify (us/call)", median(perCall.bareUs).toFixed(1), range(perCall.bareUs, 1), ""],
    ["ratio handler / bare verify", `${ratio.toFixed(2)}x`, range(perCall.ratios, 2), `<= ${GOAL_RATIO}x ${verdict(ratio <= GOAL_RATIO)}`],
    ["bundle size, minified ESM", `${(bundleBytes / 1024).toFixed(1)} KB`, `${bundleBytes} B`, `<= 50 KB ${verdict(bundleBytes <= GOAL_BUNDLE_BYTES)}`],
    ["bundle build (esbuild, in synth) (ms)", bundleMs.toFixed(0), "", ""],
    ["cold start: module load (ms)", median(cold.cached.load).toFixed(1), range(cold.cached.load, 1), ""],
    ["cold start: first call, JWKS cached (ms)", median(cold.cached.first).toFixed(2), range(cold.cached.first, 2), ""],
    ["cold start: load + first call (ms)", median(coldTotal).toFixed(1), range(coldTotal, 1), ""],
    ["first call awaiting JWKS (loopback) (ms)", median(cold.loading).toFixed(1), range(cold.loading, 1), ""],
    ["second call in the new process (ms)", median(cold.cached.warm).toFixed(2), range(cold.cached.warm, 2), ""],
  ];
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c]!.length), ["measure", "median", "p10 .. p90", "goal"][c]!.length));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(`scope checker authorizer — node ${process.version}, ${ROUNDS} interleaved rounds x ${CALLS_PER_ROUND} calls, ${COLD_STARTS} cold starts`);
  console.log(line(["measure", "median", "p10 .. p90", "goal"]));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
  console.log(`(log lines formatted per call but not written: ${(perCall.logBytes / 1024).toFixed(0)} KB discarded)`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
