/**
 * The scope checker at platform scale, end to end from the config: 1,000 clients (Cognito's
 * default quota per pool), every one admitted by some scope-checker route, validate and
 * synthesize; the synthesized access file is rendered as Terraform renders it after apply
 * (each app client reference replaced by a Cognito-shaped id), given to the synthesized bundle
 * as its layer would (ACCESS_FILE stands for /opt/access.json), and that bundle, run in a fresh Node process, admits
 * the last client's token and refuses the token of a client removed from the config.
 */
import { startJwksServer, type JwksServer } from "./support/jwks-server";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { platformConfig } from "../../bench/large-config";
import { ACCESS_FILE_NAME } from "../../lambdas/scope-checker/access-file";
import { scopeCheckerAccessFileBytes, scopeCheckerAllowList } from "../../model/access";
import { allRoutes } from "../../model/apis";
import type { M2MConfigInput } from "../../model/config-types";
import { validateConfig } from "../../model/validate";
import { parseJsonencode } from "../../security/hcl-value";
import { synthConfig, tempDir, type SynthesizedStack } from "../support/synth";
import { USER_POOL_ID, accessToken, authorizerEvent, generateSigningKey } from "./support/cognito-tokens";

const key = generateSigningKey("key-1");
const RESOURCE_SERVER = "https://platform42x.execute-api.eu-west-1.amazonaws.com/dev";
const scopes = (...names: string[]) => names.map((n) => `${RESOURCE_SERVER}/${n}`).join(" ");
const WEBHOOKS = scopes("webhooks.write", "webhooks.audit");

/** One environment (dev) of the platform config: every test here is about one stack. */
function devOnly(config: M2MConfigInput): M2MConfigInput {
  return { ...config, environments: config.environments.filter((e) => e.name === "dev") };
}

/** The id Cognito would give an app client: 26 lowercase letters and digits, fixed per name here. */
const clientIdOf = (name: string) => createHash("sha256").update(name).digest("hex").slice(0, 26);

const CLIENT_REFERENCE = /^\$\{aws_cognito_user_pool_client\.client_([a-z0-9_-]+)\.id\}$/;

/** The access file as Terraform writes it into the zip once the app clients exist. */
function renderAccessFile(stack: SynthesizedStack): { clientIds: string[]; routes: unknown[] } {
  const archive = stack.json.data!.archive_file!.scope_checker_access!;
  expect(archive.source_content_filename).toBe(ACCESS_FILE_NAME);
  const value = parseJsonencode(archive.source_content as string) as { clientIds: string[]; routes: unknown[] };
  const clientIds = value.clientIds.map((reference) => {
    const match = CLIENT_REFERENCE.exec(reference);
    if (!match) throw new Error(`not an app client id reference: ${reference}`);
    return clientIdOf(match[1]!);
  });
  return { clientIds, routes: value.routes };
}

/** The synthesized bundle's path (the code archive's source_file). */
function bundleOf(stack: SynthesizedStack, outdir: string): string {
  return path.join(outdir, "stacks", "dev", stack.json.data!.archive_file!.scope_checker!.source_file as string);
}

/** The function's code and its layer's access.json, in one directory. */
function unpack(stack: SynthesizedStack, outdir: string, into: string): string {
  mkdirSync(into, { recursive: true });
  writeFileSync(path.join(into, "index.mjs"), readFileSync(bundleOf(stack, outdir)));
  writeFileSync(path.join(into, ACCESS_FILE_NAME), JSON.stringify(renderAccessFile(stack)));
  return into;
}

let jwks: JwksServer;
let jwksUri: string;
beforeAll(async () => {
  jwks = await startJwksServer(key);
  jwksUri = jwks.uri;
});
afterAll(() => jwks.close());

/** Runs the unpacked package's handler in a fresh Node process on each token; Effect or error message per token, and the log lines. */
async function invoke(taskRoot: string, tokens: string[]): Promise<{ results: string[]; logs: Record<string, unknown>[] }> {
  const events = tokens.map((token) => authorizerEvent({ method: "POST", resource: "/webhooks/{id}/items", headers: { Authorization: `Bearer ${token}` } }));
  // console.log as Lambda's Node.js runtime patches it for the JSON log format: one JSON event per call.
  const script = `
    console.log = (message) => process.stdout.write(JSON.stringify({ level: "INFO", message }) + "\\n");
    const { handler } = await import(process.env.BUNDLE_URL);
    const out = [];
    for (const event of JSON.parse(process.env.EVENTS)) {
      try { out.push((await handler(event)).policyDocument.Statement[0].Effect); } catch (err) { out.push(err.message); }
    }
    process.stdout.write("RESULT " + JSON.stringify(out) + "\\n");`;
  const env = {
    PATH: process.env.PATH ?? "",
    USER_POOL_ID,
    RESOURCE_SERVER_ID: RESOURCE_SERVER,
    ACCESS_FILE: path.join(taskRoot, ACCESS_FILE_NAME),
    JWKS_URI: jwksUri,
    BUNDLE_URL: pathToFileURL(path.join(taskRoot, "index.mjs")).href,
    EVENTS: JSON.stringify(events),
  };
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, ["--input-type=module", "-e", script], { env, timeout: 20_000 }, (err, out, errOut) => (err ? reject(new Error(`${err.message}\n${errOut}`)) : resolve(out))),
  );
  const lines = stdout.split("\n");
  return {
    results: JSON.parse(lines.find((l) => l.startsWith("RESULT "))!.slice("RESULT ".length)),
    logs: lines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l).message),
  };
}

describe("1,000 clients, all on scope-checker routes", () => {
  const config = devOnly(platformConfig());
  const clients = config.clients!;
  const removed = { ...config, clients: clients.slice(0, -1) };
  const last = clients.at(-1)!.name;
  const outdir = tempDir("platform");
  const removedOutdir = tempDir("platform-removed");
  let stack: SynthesizedStack;
  let removedStack: SynthesizedStack;
  beforeAll(() => {
    stack = synthConfig(config, outdir).dev!;
    removedStack = synthConfig(removed, removedOutdir).dev!;
  }, 120_000);

  it("validates: every client is on the allow-list, and the access file is far below what bounds it", () => {
    const model = validateConfig(config);
    const env = model.environments[0]!;
    expect(env.clients).toHaveLength(1000);
    expect(allRoutes(model).some((r) => r.authorizer === "scope-checker")).toBe(true);
    expect(scopeCheckerAllowList(env.clients, allRoutes(model))).toHaveLength(1000);
    const checkerRoutes = allRoutes(model).filter((r) => r.authorizer === "scope-checker");
    expect(scopeCheckerAccessFileBytes(1000, checkerRoutes)).toBeLessThan(1024 * 1024);
  });

  it("synthesizes an access file with every app client's id and no allow-list in the environment", () => {
    const rendered = renderAccessFile(stack);
    expect(rendered.clientIds).toHaveLength(1000);
    expect(rendered.clientIds.at(-1)).toBe(clientIdOf(last));
    expect(new Set(rendered.clientIds).size).toBe(1000);
    expect(Object.keys((stack.json.resource.aws_lambda_function!.scope_checker as any).environment.variables).sort()).toEqual(["RESOURCE_SERVER_ID", "USER_POOL_ID"]);
    // The estimate the validation uses is an upper bound of the rendered file.
    const checkerRoutes = allRoutes(validateConfig(config)).filter((r) => r.authorizer === "scope-checker");
    expect(JSON.stringify(rendered).length).toBeLessThanOrEqual(scopeCheckerAccessFileBytes(1000, checkerRoutes));
  });

  it("the deployed bundle admits the last client's token; without that client it is refused (401, client-not-allowed)", async () => {
    const token = accessToken(key, clientIdOf(last), WEBHOOKS);
    const first = accessToken(key, clientIdOf(clients[0]!.name), WEBHOOKS);
    const before = await invoke(unpack(stack, outdir, path.join(outdir, "package")), [token, first]);
    expect(before.results).toEqual(["Allow", "Allow"]);
    expect(before.logs.map((l) => l.clientId)).toEqual([clientIdOf(last), clientIdOf(clients[0]!.name)]);

    expect(renderAccessFile(removedStack).clientIds).toHaveLength(999);
    const after = await invoke(unpack(removedStack, removedOutdir, path.join(removedOutdir, "package")), [token, first]);
    expect(after.results).toEqual(["Unauthorized", "Allow"]);
    expect(after.logs[0]).toMatchObject({ decision: "unauthorized", reason: "client-not-allowed", clientId: clientIdOf(last) });
  });

  it("a change of the allow-list is a new layer version of the same code", () => {
    expect(readFileSync(bundleOf(stack, outdir)).equals(readFileSync(bundleOf(removedStack, removedOutdir)))).toBe(true);
    const access = (s: SynthesizedStack) => s.json.data!.archive_file!.scope_checker_access!.source_content;
    expect(access(stack)).not.toBe(access(removedStack));
    const layer = (s: SynthesizedStack) => (s.json.resource.aws_lambda_layer_version!.scope_checker_access as any).source_code_hash;
    expect(layer(stack)).toBe("${data.archive_file.scope_checker_access.output_base64sha256}");
    expect((stack.json.resource.aws_lambda_function!.scope_checker as any).layers).toEqual(["${aws_lambda_layer_version.scope_checker_access.arn}"]);
  });
});
