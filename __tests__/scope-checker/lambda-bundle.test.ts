/**
 * The scope checker's Lambda bundle: small, deterministic, portable, and it runs as Lambda
 * would load it (an ES module imported by a fresh Node process, configured by environment).
 */
import { startJwksServer, type JwksServer } from "./support/jwks-server";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { LambdaBundleError, SCOPE_CHECKER_ENTRY, bundleLambda } from "../../constructs/lambda-bundle";
import { RESOURCE_SERVER, USER_POOL_ID, accessToken, authorizerEvent, generateSigningKey, scopeIds } from "./support/cognito-tokens";

const PROJECT_ROOT = path.join(__dirname, "..", "..");
const key = generateSigningKey("key-1");
const BILLING = "billing0client0id0000000001";
let workDir: string;
let jwks: JwksServer;
let jwksUri: string;

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), "scope-checker-bundle-"));
  jwks = await startJwksServer(key);
  jwksUri = jwks.uri;
});
afterAll(async () => {
  rmSync(workDir, { recursive: true, force: true });
  await jwks.close();
});

describe("bundleLambda(scope checker)", () => {
  let first: ReturnType<typeof bundleLambda>;
  let bytes: Buffer;
  beforeAll(() => {
    first = bundleLambda({ entry: SCOPE_CHECKER_ENTRY, outFile: path.join(workDir, "a", "index.mjs") });
    bytes = readFileSync(first.outFile);
  });

  it("is an ES module under 50 KB, with the reported size and hash", () => {
    expect(first.bytes).toBe(bytes.length);
    expect(first.bytes).toBeLessThan(50 * 1024);
    expect(first.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    const text = bytes.toString("utf8");
    expect(text).toMatch(/export\s*\{[^}]*\bas handler\b[^}]*\}|export\s*\{[^}]*\bhandler\b[^}]*\}/);
    expect(text).not.toMatch(/\brequire\(/);
  });

  it("holds no absolute path, user or temp directory", () => {
    const text = bytes.toString("utf8");
    for (const needle of [PROJECT_ROOT, "/work", tmpdir(), "/home/", "node_modules", "sourceMappingURL"]) expect(text).not.toContain(needle);
  });

  it("is byte-identical when built again elsewhere", () => {
    const second = bundleLambda({ entry: SCOPE_CHECKER_ENTRY, outFile: path.join(workDir, "b", "nested", "index.mjs") });
    expect(second.sha256).toBe(first.sha256);
    expect(readFileSync(second.outFile).equals(bytes)).toBe(true);
  });

  it("runs in a fresh Node process: Allow, Deny and 401, the access file and JWKS from the environment", async () => {
    const valid = accessToken(key, BILLING, scopeIds("payments.read", "payments.write"));
    const partial = accessToken(key, BILLING, scopeIds("payments.read"));
    const events = [valid, partial, `${valid}x`, ""].map((token) =>
      authorizerEvent({ method: "POST", resource: "/payments", headers: token ? { Authorization: `Bearer ${token}` } : {} }),
    );
    // console.log as Lambda's Node.js runtime patches it for the JSON log format (the function's
    // logging_config): one JSON log event per call, a single argument as its "message".
    const script = `
      const write = (level) => (message) => process.stdout.write(JSON.stringify({ timestamp: new Date().toISOString(), level, requestId: "test-request", message }) + "\\n");
      console.log = console.info = write("INFO");
      console.warn = write("WARN");
      console.error = write("ERROR");
      const { handler } = await import(process.env.BUNDLE_URL);
      const out = [];
      for (const event of JSON.parse(process.env.EVENTS)) {
        try { out.push((await handler(event)).policyDocument.Statement[0].Effect); } catch (err) { out.push(err.message); }
      }
      process.stdout.write("RESULT " + JSON.stringify(out) + "\\n");`;
    // In Lambda the layer puts it at /opt/access.json; here ACCESS_FILE points at it.
    writeFileSync(path.join(path.dirname(first.outFile), "access.json"), JSON.stringify({ clientIds: [BILLING], routes: [{ method: "POST", path: "/payments", scopes: ["payments.read", "payments.write"] }] }));
    const env = {
      PATH: process.env.PATH ?? "",
      USER_POOL_ID,
      RESOURCE_SERVER_ID: RESOURCE_SERVER,
      ACCESS_FILE: path.join(path.dirname(first.outFile), "access.json"),
      JWKS_URI: jwksUri,
      BUNDLE_URL: pathToFileURL(first.outFile).href,
      EVENTS: JSON.stringify(events),
    };
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ["--input-type=module", "-e", script], { env, timeout: 10_000 }, (err, out, errOut) =>
        err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out),
      ),
    );
    const result = stdout.split("\n").find((line) => line.startsWith("RESULT "));
    expect(JSON.parse(result!.slice("RESULT ".length))).toEqual(["Allow", "Deny", "Unauthorized", "Unauthorized"]);
    // Each decision record is an object the runtime embeds as the event's message.
    const decisions = stdout.split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line).message).filter((m) => m.msg === "scope-check").map((m) => m.decision);
    expect(decisions).toEqual(["allow", "deny", "unauthorized", "unauthorized"]);
    expect(stdout).not.toContain(valid.split(".")[2]);
  });
});

describe("bundleLambda errors", () => {
  it("names the entry and esbuild's problem for a missing import", () => {
    const entry = path.join(workDir, "broken-import.ts");
    writeFileSync(entry, 'import { nothing } from "./does-not-exist";\nexport const handler = nothing;\n');
    expect(() => bundleLambda({ entry, outFile: path.join(workDir, "c", "index.mjs") })).toThrow(LambdaBundleError);
    expect(() => bundleLambda({ entry, outFile: path.join(workDir, "c", "index.mjs") })).toThrow(/^Lambda bundle of .*broken-import\.ts failed: .*broken-import\.ts:1:\d+: Could not resolve "\.\/does-not-exist"/);
  });

  it("reports a syntax error with file, line and column", () => {
    const entry = path.join(workDir, "broken-syntax.ts");
    writeFileSync(entry, "export const handler = () => {\n  return 1 +;\n};\n");
    expect(() => bundleLambda({ entry, outFile: path.join(workDir, "d", "index.mjs") })).toThrow(/broken-syntax\.ts:2:\d+: /);
  });
});
