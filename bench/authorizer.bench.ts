/**
 * `npm run bench:authorizer` — what the scope checker costs, measured side by side in one run,
 * for two access files: today's demo (one allowed client, 6 routes) and platform scale (1,000
 * allowed clients with the caller last, 200 scope-checker routes):
 *  - per call: the handler (valid token, JWKS cached, Allow path) vs a bare RS256 verify of the
 *    same token with node:crypto, in interleaved rounds so machine noise hits all alike;
 *  - the minified bundle's size;
 *  - cold start: a fresh Node process importing the bundle, reading the access file (in Lambda
 *    /opt/access.json, from the layer), then its first call.
 * Decision log records are built as in production and serialized (as the runtime would) into a sink, not stdout.
 */
import { execFile } from "node:child_process";
import { createPublicKey, generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { CognitoJwtVerifier } from "aws-jwt-verify/cognito-verifier";
import { SCOPE_CHECKER_ENTRY, bundleLambda } from "../constructs/lambda-bundle";
import { ACCESS_FILE_NAME, type AccessFile } from "../lambdas/scope-checker/access-file";
import { setDecisionLogSink } from "../lambdas/scope-checker/decision-log";
import { createHandler } from "../lambdas/scope-checker/scope-checker";

const ROUNDS = 30;
const CALLS_PER_ROUND = 400;
const COLD_STARTS = 7;
const GOAL_RATIO = 1.5;
const GOAL_BUNDLE_BYTES = 50 * 1024;
const GOAL_COLD_MS = 50;

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

interface Scenario {
  readonly name: string;
  readonly access: AccessFile;
}

/** Other services' routes (own scopes, nested parameters) after ROUTES, up to `count`. */
function platformRoutes(count: number): AccessFile["routes"] {
  const methods = ["GET", "POST", "PUT", "DELETE"];
  const extra = Array.from({ length: count - ROUTES.length }, (_, i) => {
    const service = `svc${Math.floor(i / 8)}`;
    return { method: methods[i % 4]!, path: [`/${service}/items`, `/${service}/items/{id}`][Math.floor(i / 4) % 2]!, scopes: [`${service}.use`, `${service}.${methods[i % 4]!.toLowerCase()}`] };
  });
  return [...ROUTES, ...extra];
}

const SCENARIOS: readonly Scenario[] = [
  { name: "1 client, 6 routes", access: { clientIds: [CLIENT_ID], routes: ROUTES } },
  {
    name: "1,000 clients, 200 routes",
    // The caller last: a list scan would pay its worst case (the checker uses a Set).
    access: { clientIds: [...Array.from({ length: 999 }, (_, i) => `bench0other0${String(i).padStart(14, "0")}`), CLIENT_ID], routes: platformRoutes(200) },
  },
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
  const handlerOf = ({ access }: Scenario) =>
    createHandler({
      userPoolId: USER_POOL_ID,
      clientIds: access.clientIds,
      routes: access.routes.map((r) => ({ ...r, scopes: r.scopes.map((s) => `${RESOURCE_SERVER}/${s}`) })),
      jwks,
    });
  const handler = handlerOf(SCENARIOS[0]!);
  const platform = handlerOf(SCENARIOS[1]!);
  let logBytes = 0;
  // The runtime serializes each record into a JSON log event; the sink does the same work.
  const restore = setDecisionLogSink((record) => {
    logBytes += JSON.stringify(record).length;
  });
  const request = event(token);
  for (const h of [handler, platform]) {
    const first = await h(request);
    if (first.policyDocument.Statement[0]?.Effect !== "Allow") throw new Error("bench setup: the handler did not allow the token");
  }

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
  const platformEvents = Array.from({ length: CALLS_PER_ROUND }, () => JSON.parse(JSON.stringify(request)) as typeof request);
  const contenders = {
    handler: timed((i) => handler(events[i]!)),
    platform: timed((i) => platform(platformEvents[i]!)),
    bare: timed((i) => bareVerify(tokens[i]!)),
    library: timed((i) => library.verifySync(tokens[i]!)),
  };
  const names = Object.keys(contenders) as (keyof typeof contenders)[];
  for (let i = 0; i < 5; i++) for (const name of names) await contenders[name]();
  const samples = { handler: [] as number[], platform: [] as number[], bare: [] as number[], library: [] as number[] };
  const ratios: number[] = [];
  const platformRatios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate who goes first, so no contender always runs on a warmer or noisier slot.
    const order = names.map((_, i) => names[(i + round) % names.length]!);
    const times = {} as Record<keyof typeof contenders, number>;
    for (const name of order) times[name] = await contenders[name]();
    for (const name of names) samples[name].push(times[name]);
    ratios.push(times.handler / times.bare);
    platformRatios.push(times.platform / times.bare);
  }
  setDecisionLogSink(restore);
  return { handlerUs: samples.handler, platformUs: samples.platform, bareUs: samples.bare, libraryUs: samples.library, ratios, platformRatios, logBytes };
}

/** The bundle and the scenario's access file, in one directory. */
function taskRootOf(dir: string, bundleBytes: Uint8Array, scenario: Scenario, index: number): string {
  const root = path.join(dir, `task-${index}`);
  mkdirSync(root);
  writeFileSync(path.join(root, "index.mjs"), bundleBytes);
  writeFileSync(path.join(root, ACCESS_FILE_NAME), JSON.stringify(scenario.access));
  return root;
}

async function coldStarts(taskRoot: string, token: string, jwks: { keys: object[] }) {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const env = {
    PATH: process.env.PATH ?? "",
    USER_POOL_ID,
    RESOURCE_SERVER_ID: RESOURCE_SERVER,
    ACCESS_FILE: path.join(taskRoot, ACCESS_FILE_NAME),
    JWKS_URI: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
    BUNDLE_URL: pathToFileURL(path.join(taskRoot, "index.mjs")).href,
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
    const bundleBytes = readFileSync(bundle.outFile);
    const cold = [];
    for (const [i, scenario] of SCENARIOS.entries()) cold.push(await coldStarts(taskRootOf(dir, bundleBytes, scenario, i), token, jwks));
    report(perCall, bundle.bytes, bundleMs, cold as [ColdStarts, ColdStarts]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type ColdStarts = Awaited<ReturnType<typeof coldStarts>>;

function report(perCall: Awaited<ReturnType<typeof perCallCosts>>, bundleBytes: number, bundleMs: number, cold: [ColdStarts, ColdStarts]) {
  const verdict = (ok: boolean) => (ok ? "ok" : "OVER");
  const range = (xs: number[], digits: number) => `${quantile(xs, 0.1).toFixed(digits)} .. ${quantile(xs, 0.9).toFixed(digits)}`;
  const cell = (xs: number[], digits: number) => `${median(xs).toFixed(digits)} (${range(xs, digits)})`;
  const bare = median(perCall.bareUs);
  const ratio = median(perCall.handlerUs) / bare;
  const platformRatio = median(perCall.platformUs) / bare;
  const coldTotal = (c: ColdStarts) => c.cached.load.map((l, i) => l + c.cached.first[i]!);
  const [today, platform] = cold;
  const both = (label: string, of: (c: ColdStarts) => number[], digits: number, goal = ""): [string, string, string, string] => [label, cell(of(today), digits), cell(of(platform), digits), goal];
  const coldGoal = `<= ${GOAL_COLD_MS} ms ${verdict(median(coldTotal(today)) <= GOAL_COLD_MS && median(coldTotal(platform)) <= GOAL_COLD_MS)}`;
  const rows: [string, string, string, string][] = [
    ["handler, valid token, Allow (us/call)", cell(perCall.handlerUs, 1), cell(perCall.platformUs, 1), ""],
    ["bare RS256 crypto.verify (us/call)", cell(perCall.bareUs, 1), "(same)", ""],
    ["  aws-jwt-verify verifySync alone (us/call)", cell(perCall.libraryUs, 1), "(same)", `${(median(perCall.libraryUs) / bare).toFixed(2)}x bare`],
    [
      "ratio handler / bare verify",
      `${ratio.toFixed(2)}x (${range(perCall.ratios, 2)})`,
      `${platformRatio.toFixed(2)}x (${range(perCall.platformRatios, 2)})`,
      `<= ${GOAL_RATIO}x ${verdict(ratio <= GOAL_RATIO && platformRatio <= GOAL_RATIO)}`,
    ],
    ["bundle size, minified ESM", `${(bundleBytes / 1024).toFixed(1)} KB`, "(same)", `<= 50 KB ${verdict(bundleBytes <= GOAL_BUNDLE_BYTES)}`],
    ["bundle build (esbuild, in synth) (ms)", bundleMs.toFixed(0), "(same)", ""],
    both("cold start: module load + access file (ms)", (c) => c.cached.load, 1),
    both("cold start: first call, JWKS cached (ms)", (c) => c.cached.first, 2),
    both("cold start: load + first call (ms)", coldTotal, 1, coldGoal),
    both("first call awaiting JWKS (loopback) (ms)", (c) => c.loading, 1),
    both("second call in the new process (ms)", (c) => c.cached.warm, 2),
  ];
  const head = ["measure", SCENARIOS[0]!.name, SCENARIOS[1]!.name, "goal"];
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c]!.length), head[c]!.length));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(`scope checker authorizer — node ${process.version}, ${ROUNDS} interleaved rounds x ${CALLS_PER_ROUND} calls, ${COLD_STARTS} cold starts; median (p10 .. p90)`);
  console.log(line(head));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
  console.log(`(log lines formatted per call but not written: ${(perCall.logBytes / 1024).toFixed(0)} KB discarded)`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
