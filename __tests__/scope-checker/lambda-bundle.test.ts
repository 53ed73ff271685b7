/**
 * The scope checker's Lambda bundle: small, deterministic, portable, and it runs as Lambda
 * would load it (an ES module imported by a fresh Node process, configured by environment).
 */
import { startJwksServer, type JwksServer } from "./support/jwks-server";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
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
    const second = bundleLambda({ entry: SCOPE_CHECKER_ENTRY, outFile: path.join(workDir, "b", "nested", "index.mjs"), cacheDir: null });
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

describe("bundleLambda's cache (.m2m/build/lambda)", () => {
  it("hands back the bytes a fresh esbuild build produces, without running esbuild", () => {
    const cacheDir = path.join(workDir, "cache-identical");
    const fresh = bundleLambda({ entry: SCOPE_CHECKER_ENTRY, outFile: path.join(workDir, "fresh", "index.mjs"), cacheDir: null });
    const built = bundleLambda({ entry: SCOPE_CHECKER_ENTRY, outFile: path.join(workDir, "built", "index.mjs"), cacheDir });
    const kept = bundleLambda({ entry: SCOPE_CHECKER_ENTRY, outFile: path.join(workDir, "kept", "index.mjs"), cacheDir });
    expect([fresh.fromCache, built.fromCache, kept.fromCache]).toEqual([false, false, true]);
    expect(readFileSync(kept.outFile).equals(readFileSync(fresh.outFile))).toBe(true);
    expect(kept.sha256).toBe(fresh.sha256);
  });

  it("bundles again when any file the bundle was built from changes, and not when one is only touched", () => {
    const cacheDir = path.join(workDir, "cache-inputs");
    const dir = path.join(workDir, "changing");
    mkdirSync(dir, { recursive: true });
    const entry = path.join(dir, "handler.ts");
    const dep = path.join(dir, "greeting.ts");
    writeFileSync(entry, 'import { greeting } from "./greeting";\nexport const handler = async () => greeting;\n');
    writeFileSync(dep, 'export const greeting = "hello";\n');
    const out = (name: string) => path.join(dir, name, "index.mjs");
    const first = bundleLambda({ entry, outFile: out("1"), cacheDir });
    expect(readFileSync(first.outFile, "utf8")).toContain('"hello"');
    // Same content, new modification time: the content hash decides, the bundle stands.
    utimesSync(dep, new Date(), new Date(Date.now() + 5000));
    expect(bundleLambda({ entry, outFile: out("2"), cacheDir }).fromCache).toBe(true);
    // The imported file (not the entry) changes: a real build, with the new text.
    writeFileSync(dep, 'export const greeting = "bonjour";\n');
    const changed = bundleLambda({ entry, outFile: out("3"), cacheDir });
    expect(changed.fromCache).toBe(false);
    expect(readFileSync(changed.outFile, "utf8")).toContain('"bonjour"');
    expect(changed.sha256).not.toBe(first.sha256);
    // An input that is gone: esbuild runs, and reports it.
    rmSync(dep);
    expect(() => bundleLambda({ entry, outFile: out("4"), cacheDir })).toThrow(/Could not resolve "\.\/greeting"/);
  });

  it("never uses kept bytes that do not match their record", () => {
    const cacheDir = path.join(workDir, "cache-damaged");
    const built = bundleLambda({ entry: SCOPE_CHECKER_ENTRY, outFile: path.join(workDir, "dmg-1", "index.mjs"), cacheDir });
    const [kept] = readdirSync(cacheDir).filter((f) => f.endsWith(".mjs"));
    writeFileSync(path.join(cacheDir, kept!), "export const handler = 0;\n");
    const again = bundleLambda({ entry: SCOPE_CHECKER_ENTRY, outFile: path.join(workDir, "dmg-2", "index.mjs"), cacheDir });
    expect(again.fromCache).toBe(false);
    expect(again.sha256).toBe(built.sha256);
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
