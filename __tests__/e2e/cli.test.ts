/**
 * The `m2m` CLI as a user runs it: a child process of bin/m2m.js. User mistakes give one line on
 * stderr and a non-zero exit; `smoke --local` and `token --local` work against a running offline
 * environment; `dev` starts, writes its credentials file, and stops cleanly on SIGTERM.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { COMMAND_OPTIONS, HELP } from "../../client/cli";
import type { LocalEnvironment } from "../../local/local-environment";
import { readCredentialsFile } from "../../local/credentials-file";
import { allRoutes } from "../../model/apis";
import { modelWith, startEnv, twoApiModel } from "../local/local-test-kit";
import singleApiConfig from "../fixtures/single-api.config";

/** The CLI reads the default config (m2m.config.ts, two APIs) unless told otherwise: so does the environment it talks to. */
const defaultModel = twoApiModel;

const ROOT = resolve(__dirname, "../..");
const BIN = join(ROOT, "bin", "m2m.js");

/** The environment without the variables the CLI reads, so the host's settings cannot leak in. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith("M2M_") || key.startsWith("AWS_")) delete env[key];
  return env;
}

function runCli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...cleanEnv(), ...extraEnv } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

let dir: string;
let env: LocalEnvironment;
let localFile: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "m2m-cli-"));
  localFile = join(dir, "local.json");
  env = await startEnv({ model: defaultModel, credentialsFile: localFile });
});
afterAll(async () => {
  await env.close();
  rmSync(dir, { recursive: true, force: true });
});


/** The AWS SDK pointed at a Secrets Manager stand-in on 127.0.0.1, with placeholder keys and no profile or instance metadata. */
function awsEnvFor(secretsManagerUrl: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManagerUrl,
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "test-only",
    AWS_REGION: "eu-west-1",
    AWS_CONFIG_FILE: join(dir, "no-aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, "no-aws-credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    // The SDK warns on stderr that its 2027 releases need Node 22; not what these tests are about.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
}

describe("user mistakes: one line on stderr, non-zero exit, no stack trace", () => {
  it.each([
    [["token"], 2, "m2m: no credentials: pass --local, --outputs FILE, --secret-id ID, or --client-id (or M2M_CLIENT_ID), --client-secret (or M2M_CLIENT_SECRET), --token-endpoint (or M2M_TOKEN_ENDPOINT)"],
    [["call", "GET", "/premium", "--data", "{oops", "--local"], 2, "m2m: --data is not valid JSON"],
    [["token", "--colour"], 2, 'm2m: unknown option "--colour" for token (see m2m --help)'],
    [["dev", "--port"], 2, 'm2m: option "--port <value>" argument missing for dev (see m2m --help)'],
    [["token", "--client-id", "id", "--client-secret", "s", "--token-endpoint", "http://example.com/oauth2/token"], 2, 'm2m: --token-endpoint must use https (plain http only to 127.0.0.1 or localhost), got "http://example.com/oauth2/token"'],
    [["deploy"], 2, 'm2m: unknown command "deploy" (token, call, smoke, dev, doctor, secret; see m2m --help)'],
    [["smoke", "--local", "--local-file", "/nonexistent/local.json"], 1, "m2m: /nonexistent/local.json not found: start the offline environment first (npm run dev)"],
    [["dev", "--env", "staging"], 2, 'm2m: unknown environment "staging" (the config defines: dev, prod)'],
    [["dev", "--backend-url", "GET /nope=http://127.0.0.1:9000/"], 2, 'm2m: --backend-url: no route "GET /nope" in the config (routes: content GET /hello-world, content GET /premium, content POST /premium, payments POST /payments, payments GET /payments/{id})'],
    [["dev", "--backend-url", "POST /payments=http://127.0.0.1:9000/"], 2, "m2m: --backend-url: POST /payments has a lambda backend, which runs here already"],
    [["dev", "--backend-url", "POST /payments"], 2, 'm2m: --backend-url takes "[API] METHOD /path=URL", got "POST /payments"'],
  ])("m2m %j", async (args, code, line) => {
    const result = await runCli(args);
    expect(result).toEqual({ code, stdout: "", stderr: `${line}\n` });
  });
});

describe("m2m --help", () => {
  it("lists every option of every command", async () => {
    const result = await runCli(["--help"]);
    expect(result).toEqual({ code: 0, stdout: HELP, stderr: "" });
    const flags = new Set(Object.values(COMMAND_OPTIONS).flatMap((options) => Object.keys(options)));
    expect(flags.size).toBeGreaterThan(10);
    const missing = [...flags].filter((flag) => !new RegExp(`--${flag}\\b`).test(HELP));
    expect(missing).toEqual([]);
  });
});

describe("against a running offline environment", () => {
  it("smoke --local passes the default config's matrix", async () => {
    const result = await runCli(["smoke", "--local", "--local-file", localFile]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const checks = allRoutes(defaultModel).length * (defaultModel.environments.find((e) => e.name === "dev")!.clients.length + 1);
    expect(result.stdout.trimEnd().split("\n").at(-1)).toBe(`${checks} checks, ${checks} passed, 0 failed`);
  });

  it("token --local prints a token the API accepts; call prints status and body", async () => {
    const [token, call] = await Promise.all([
      runCli(["token", "--local", "--local-file", localFile, "--client", "reader"]),
      runCli(["call", "post", "/payments", "--data", '{"amount":1250,"currency":"EUR"}', "--local", "--local-file", localFile, "--client", "billing"]),
    ]);
    expect(token.code).toBe(0);
    const res = await fetch(`${env.apiUrl}/premium`, { headers: { authorization: `Bearer ${token.stdout.trim()}` } });
    expect(res.status).toBe(200);
    // POST /payments is the real handler (backends/payments.ts): it names the calling client.
    expect({ code: call.code, stderr: call.stderr, status: call.stdout.split("\n")[0] }).toEqual({ code: 0, stderr: "", status: "HTTP 202" });
    const billing = readCredentialsFile(localFile).clients.find((c) => c.name === "billing")!;
    expect(JSON.parse(call.stdout.slice(call.stdout.indexOf("\n") + 1))).toMatchObject({ status: "accepted", clientId: billing.clientId, payment: { amount: 1250, currency: "EUR" } });
  });
});

describe("call to a route the client may not call", () => {
  it("prints the 401 and which scope is missing, exits 1, and asks for one token only", async () => {
    const before = env.metrics.requests;
    const result = await runCli(["call", "POST", "/premium", "--data", "{}", "--local", "--local-file", localFile, "--client", "reader"]);
    expect(result).toEqual({
      code: 1,
      stdout: 'HTTP 401\n{\n  "message": "Unauthorized"\n}\n',
      stderr: 'm2m: refused: POST /premium on content needs content:write; the token carries content:read; client "reader" holds content:read: grant content:write in the config (clients[].scopes), or call as a client that holds it\n',
    });
    expect(env.metrics.requests - before).toBe(1);
  });

  it("a scope the client holds but did not ask for (--scope): says to ask for it", async () => {
    const result = await runCli(["call", "POST", "/premium", "--data", "{}", "--local", "--local-file", localFile, "--client", "writer", "--scope", "content:read"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('m2m: refused: POST /premium on content needs content:write; the token carries content:read; client "writer" may request content:write: call without --scope, or add --scope content:write\n');
  });

  it("a scope-checker route needs all its scopes: names the one missing", async () => {
    const result = await runCli(["call", "POST", "/payments", "--data", "{}", "--local", "--local-file", localFile, "--client", "finance-reports"]);
    expect(result.code).toBe(1);
    expect(result.stdout.split("\n")[0]).toBe("HTTP 401");
    expect(result.stderr).toBe(
      'm2m: refused: POST /payments on payments needs all of payments:read, payments:write; the token carries content:read, payments:read; client "finance-reports" holds content:read, payments:read: grant payments:write in the config (clients[].scopes), or call as a client that holds it\n',
    );
  });

  it("a wrong secret: invalid_client with the next step", async () => {
    const reader = readCredentialsFile(localFile).clients.find((c) => c.name === "reader")!;
    const result = await runCli(["token", "--client-id", reader.clientId, "--client-secret", "not-the-secret", "--token-endpoint", env.tokenEndpoint]);
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr: "m2m: token endpoint refused the request: invalid_client, HTTP 400: the token endpoint does not know this client id and secret, or the client is disabled; check --client-id and --client-secret (or M2M_CLIENT_ID, M2M_CLIENT_SECRET) against the client's secret\n",
    });
  });
});

describe("smoke --outputs (a deployed stack's outputs file)", () => {
  it("reads the environment's outputs and fails every check of a client without a secret ARN", async () => {
    // Points at the offline environment and lists no secret ARNs, so nothing reaches AWS.
    const outputs = join(dir, "outputs.json");
    const invokeUrls = Object.fromEntries(env.apis.map((a) => [a.name, a.url]));
    writeFileSync(outputs, JSON.stringify({ dev: { invoke_urls: invokeUrls, token_endpoint: env.tokenEndpoint, client_ids: {}, client_secret_arns: {} } }));
    const result = await runCli(["smoke", "--outputs", outputs, "--env", "dev"]);
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines.filter((l) => / \(no token\) .* ok$/.test(l))).toHaveLength(allRoutes(defaultModel).length);
    expect(lines.filter((l) => /no credentials +MISMATCH$/.test(l))).toHaveLength(allRoutes(defaultModel).length * defaultModel.environments.find((e) => e.name === "dev")!.clients.length);
    expect((await runCli(["smoke", "--outputs", outputs])).stderr).toBe("m2m: smoke --outputs needs --env NAME (the stack to check)\n");
  });
});

/**
 * Secrets Manager's GetSecretValue on 127.0.0.1 (the SDK's JSON protocol), for AWS_ENDPOINT_URL_SECRETS_MANAGER:
 * the secrets as the stack writes them, so `smoke --outputs` runs end to end without AWS.
 */
async function startSecretsManagerStandIn(secrets: ReadonlyMap<string, string>) {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const { SecretId } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { SecretId: string };
    const value = req.headers["x-amz-target"] === "secretsmanager.GetSecretValue" ? secrets.get(SecretId) : undefined;
    res.writeHead(value === undefined ? 400 : 200, { "content-type": "application/x-amz-json-1.1" });
    res.end(JSON.stringify(value === undefined ? { __type: "ResourceNotFoundException", message: "not found" } : { ARN: SecretId, Name: SecretId.split(":").at(-1), SecretString: value, VersionId: "v1" }));
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((closed) => { server.close(() => closed()); server.closeAllConnections(); }),
  };
}

describe("smoke --outputs with the clients' secrets, one of them disabled", () => {
  it("reads each secret, takes a disabled client's {disabled: true} secret as its refusal, and passes", async () => {
    const writerDisabled = modelWith((c) => ({ ...c, clients: c.clients.map((cl) => (cl.name === "writer" ? { ...cl, disabled: true } : cl)) }));
    const deployed = await startEnv({ model: writerDisabled });
    const arnOf = (name: string) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:m2m-demo-api/dev/${name}-AbCdEf`;
    const secrets = new Map(
      deployed.credentials.clients.map((c) => [
        arnOf(c.name),
        c.name === "writer"
          ? JSON.stringify({ disabled: true, tokenEndpoint: deployed.tokenEndpoint })
          : JSON.stringify({ clientId: c.clientId, clientSecret: c.clientSecret, tokenEndpoint: deployed.tokenEndpoint, scopes: c.scopes }),
      ]),
    );
    const secretsManager = await startSecretsManagerStandIn(secrets);
    try {
      const outputs = join(dir, "outputs-disabled.json");
      const clientIds = Object.fromEntries(deployed.credentials.clients.filter((c) => c.name !== "writer").map((c) => [c.name, c.clientId]));
      const secretArns = Object.fromEntries(deployed.credentials.clients.map((c) => [c.name, arnOf(c.name)]));
      writeFileSync(outputs, JSON.stringify({ dev: { invoke_url: deployed.apiUrl, token_endpoint: deployed.tokenEndpoint, client_ids: clientIds, client_secret_arns: secretArns } }));
      const config = join(dir, "writer-disabled.config.ts");
      writeFileSync(config, `export default ${JSON.stringify({ ...singleApiConfig, clients: singleApiConfig.clients.map((c) => (c.name === "writer" ? { ...c, disabled: true } : c)) })};\n`);

      const aws = awsEnvFor(secretsManager.url);
      const result = await runCli(["smoke", "--outputs", outputs, "--env", "dev", "--config", config], aws);
      expect(result.stderr).toBe("");
      const lines = result.stdout.trimEnd().split("\n");
      expect(lines.filter((l) => / writer /.test(l))).toHaveLength(allRoutes(writerDisabled).length);
      expect(lines.filter((l) => /^\S+ \S+ +writer +token refused \(client disabled\) +cut off: no app client \(secret says disabled\) +ok$/.test(l))).toHaveLength(allRoutes(writerDisabled).length);
      const checks = allRoutes(writerDisabled).length * (writerDisabled.environments.find((e) => e.name === "dev")!.clients.length + 1);
      expect(lines.at(-1)).toBe(`${checks} checks, ${checks} passed, 0 failed`);
      expect(result.code).toBe(0);

      // The same secret behind `token --secret-id`: one readable line, no stack trace.
      const token = await runCli(["token", "--secret-id", arnOf("writer")], aws);
      expect(token).toEqual({ code: 1, stdout: "", stderr: `m2m: could not read client credentials from secret ${arnOf("writer")}: the client is disabled (its app client is deleted; the secret holds no credentials)\n` });
    } finally {
      await secretsManager.close();
      await deployed.close();
    }
  });
});

describe("a stack of several APIs' outputs (invoke_urls by API)", () => {
  it("call finds the API from the config's routes, --api picks or refuses one, smoke checks every API x client", async () => {
    // The outputs a two-API stack writes, pointing at the offline environment; the secrets behind a Secrets Manager stand-in.
    const arnOf = (name: string) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:m2m-demo/dev/${name}-AbCdEf`;
    const secrets = new Map(env.credentials.clients.map((c) => [arnOf(c.name), JSON.stringify({ clientId: c.clientId, clientSecret: c.clientSecret, tokenEndpoint: env.tokenEndpoint, scopes: c.scopes })]));
    const secretsManager = await startSecretsManagerStandIn(secrets);
    try {
      const outputs = join(dir, "outputs-apis.json");
      writeFileSync(outputs, JSON.stringify({
        dev: {
          invoke_urls: Object.fromEntries(env.apis.map((a) => [a.name, a.url])),
          resource_server_identifiers: Object.fromEntries(env.apis.map((a) => [a.name, a.url])),
          token_endpoint: env.tokenEndpoint,
          client_ids: Object.fromEntries(env.credentials.clients.map((c) => [c.name, c.clientId])),
          client_secret_arns: Object.fromEntries(env.credentials.clients.map((c) => [c.name, arnOf(c.name)])),
        },
      }));
      const aws = awsEnvFor(secretsManager.url);
      const deployed = ["--outputs", outputs, "--env", "dev"];
      const [routed, unknown, smoke] = await Promise.all([
        runCli(["call", "GET", "/payments/p-1", ...deployed, "--client", "finance-reports", "--scope", "read"], aws),
        runCli(["call", "GET", "/premium", ...deployed, "--client", "finance-reports", "--api", "orders"], aws),
        runCli(["smoke", ...deployed], aws),
      ]);
      expect(routed).toEqual({ code: 0, stdout: 'HTTP 200\n{\n  "status": "settled"\n}\n', stderr: "" });
      expect(unknown).toEqual({ code: 2, stdout: "", stderr: 'm2m: unknown API "orders" (APIs in the outputs of "dev": content, payments)\n' });
      const checks = allRoutes(defaultModel).length * (defaultModel.environments.find((e) => e.name === "dev")!.clients.length + 1);
      expect({ code: smoke.code, stderr: smoke.stderr, last: smoke.stdout.trimEnd().split("\n").at(-1) }).toEqual({ code: 0, stderr: "", last: `${checks} checks, ${checks} passed, 0 failed` });
    } finally {
      await secretsManager.close();
    }
  });
});

describe("m2m dev", () => {
  it("prints one ready line, writes a private credentials file, and stops cleanly on SIGTERM", async () => {
    const file = join(dir, "dev", "local.json");
    const child = spawn(process.execPath, [BIN, "dev", "--port", "0", "--local-file", file], { cwd: ROOT, env: cleanEnv() });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    await new Promise<void>((ready) => child.stdout.on("data", (d) => ((stdout += d), stdout.includes("\n") && ready())));
    // The default config's two APIs, each on its own port, and the one token endpoint on a third.
    expect(stdout).toMatch(/^m2m dev: "dev" ready with content at http:\/\/127\.0\.0\.1:\d+\/dev, payments at http:\/\/127\.0\.0\.1:\d+\/dev \(token endpoint http:\/\/127\.0\.0\.1:\d+\/oauth2\/token\); credentials in .*local\.json; Ctrl\+C stops\n$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const written = readCredentialsFile(file);
    expect(written.apis.map((a) => a.name)).toEqual(["content", "payments"]);
    expect(stdout).toContain(`content at ${written.apis[0]!.url}, payments at ${written.apis[1]!.url} (token endpoint ${written.tokenEndpoint})`);
    expect(new Set([new URL(written.tokenEndpoint).port, ...written.apis.map((a) => new URL(a.url).port)]).size).toBe(3);
    expect((await fetch(`${written.apis[0]!.url}/hello-world`)).status).toBe(401);
    expect((await fetch(`${written.apis[1]!.url}/payments/p-1`)).status).toBe(401);

    const exited = new Promise<number | null>((done) => child.on("close", done));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stdout.split("\n").filter(Boolean)).toHaveLength(1);
    expect(stderr).toBe("");
    expect(existsSync(file)).toBe(false);
  });
});
