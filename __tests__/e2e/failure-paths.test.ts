/**
 * One voice (model/command-voice): every user-facing failure of every command, run as the user
 * runs it (a child process of bin/m2m.js or bin/run.js, the npm scripts' entry points), gives its
 * exact line(s) and exit status: 1 for a failure or a wrong input, 2 for a wrong command line.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { ROOT, runNode, type ChildRun } from "../support/node-child";
import singleApiConfig from "../fixtures/single-api.config";
import type { LocalEnvironment } from "../../local/local-environment";
import { startEnv } from "../local/local-test-kit";

type Run = ChildRun;

let dir: string;
let home: string;

/** No M2M_/AWS_ variables from the host, and a HOME without ~/.aws. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith("M2M_") || key.startsWith("AWS_")) delete env[key];
  return { ...env, HOME: home, ...extra };
}

function run(script: string, args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  return runNode([join(ROOT, "bin", script), ...args], cleanEnv(extraEnv));
}

const m2m = (args: readonly string[], env?: NodeJS.ProcessEnv) => run("m2m.js", args, env);

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  const { port } = server.address() as { port: number };
  await new Promise<void>((closed) => server.close(() => closed()));
  return port;
}

let env: LocalEnvironment;
let localFile: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "m2m-voice-"));
  home = join(dir, "home");
  mkdirSync(home);
  localFile = join(dir, "local.json");
  env = await startEnv({ credentialsFile: localFile });
});
afterAll(async () => {
  await env.close();
  rmSync(dir, { recursive: true, force: true });
});

function writeConfig(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe("m2m: credentials and URLs", () => {
  it("--local with explicit credentials: one source only (exit 2)", async () => {
    expect(await m2m(["token", "--local", "--local-file", localFile, "--client-id", "abc"])).toEqual({
      code: 2,
      stdout: "",
      stderr: "m2m: use one credential source: --local or --client-id, not both\n",
    });
  });

  it("--local with credentials in the environment: one source only, the variables named (exit 2)", async () => {
    expect(await m2m(["token", "--local", "--local-file", localFile, "--client", "reader"], { M2M_CLIENT_ID: "abc", M2M_CLIENT_SECRET: "def" })).toEqual({
      code: 2,
      stdout: "",
      stderr: "m2m: use one credential source: --local or M2M_CLIENT_ID, M2M_CLIENT_SECRET in the environment, not both (unset M2M_CLIENT_ID M2M_CLIENT_SECRET)\n",
    });
  });

  it("an M2M_TOKEN_ENDPOINT over plain http to another host is named as the variable (exit 2)", async () => {
    expect(await m2m(["token"], { M2M_CLIENT_ID: "a", M2M_CLIENT_SECRET: "b", M2M_TOKEN_ENDPOINT: "http://auth.example.com/oauth2/token" })).toEqual({
      code: 2,
      stdout: "",
      stderr: 'm2m: M2M_TOKEN_ENDPOINT must use https (plain http only to 127.0.0.1 or localhost), got "http://auth.example.com/oauth2/token"\n',
    });
  });

  it("an --api-url that is not an http(s) URL (exit 2, no TypeError)", async () => {
    expect(await m2m(["call", "GET", "/x", "--api-url", "notaurl", "--client-id", "a", "--client-secret", "b", "--token-endpoint", "http://127.0.0.1:9/oauth2/token"])).toEqual({
      code: 2,
      stdout: "",
      stderr: 'm2m: --api-url must be an http(s) URL such as https://abc123defg.execute-api.eu-west-1.amazonaws.com/dev, got "notaurl"\n',
    });
  });

  it("an M2M_TOKEN_ENDPOINT that is not a URL is named as the variable (exit 2)", async () => {
    expect(await m2m(["token"], { M2M_CLIENT_ID: "a", M2M_CLIENT_SECRET: "b", M2M_TOKEN_ENDPOINT: "auth.example.com" })).toEqual({
      code: 2,
      stdout: "",
      stderr: 'm2m: M2M_TOKEN_ENDPOINT must be an http(s) URL such as https://my-prefix.auth.eu-west-1.amazoncognito.com/oauth2/token, got "auth.example.com"\n',
    });
  });

  it("--secret-id NAME with no AWS region anywhere: says so before the SDK's 'Region is missing' (exit 1)", async () => {
    expect(await m2m(["token", "--secret-id", "my-secret"])).toEqual({
      code: 1,
      stdout: "",
      stderr: 'm2m: no AWS region for secret "my-secret": set AWS_REGION or pass the secret\'s ARN (checked AWS_REGION, AWS_DEFAULT_REGION, ~/.aws/config (profile default))\n',
    });
  });

  it("an unreachable API exits 1, naming the origin and the reason", async () => {
    const port = await closedPort();
    expect(await m2m(["call", "GET", "/hello-world", "--local", "--local-file", localFile, "--client", "3rd-party", "--api-url", `http://127.0.0.1:${port}/dev`])).toEqual({
      code: 1,
      stdout: "",
      stderr: `m2m: cannot reach http://127.0.0.1:${port} (ECONNREFUSED): check the URL and that the API is deployed\n`,
    });
  });

  it("a credentials file left by a stopped offline environment: says it is not running (exit 1)", async () => {
    const port = await closedPort();
    const stale = join(dir, "stale.json");
    const base = `http://127.0.0.1:${port}`;
    writeFileSync(stale, JSON.stringify({ ...env.credentials, tokenEndpoint: `${base}/oauth2/token`, apiUrl: `${base}/dev` }));
    const expected = { code: 1, stdout: "", stderr: "m2m: the offline environment is not running; start it with npm run dev\n" };
    expect(await m2m(["call", "GET", "/premium", "--local", "--local-file", stale, "--client", "reader"])).toEqual(expected);
    expect(await m2m(["smoke", "--local", "--local-file", stale])).toEqual(expected);
  });
});

describe("m2m --scope", () => {
  it("a scope's short name is expanded to the client's full identifier", async () => {
    const result = await m2m(["token", "--local", "--local-file", localFile, "--client", "writer", "--scope", "write"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const payload = JSON.parse(Buffer.from(result.stdout.trim().split(".")[1]!, "base64url").toString("utf8")) as { scope: string };
    expect(payload.scope).toBe(`${env.apiUrl}/write`);
  });

  it("a short name the client does not have: lists the ones it has (exit 2)", async () => {
    expect(await m2m(["token", "--local", "--local-file", localFile, "--client", "reader", "--scope", "write"])).toEqual({
      code: 2,
      stdout: "",
      stderr: 'm2m: this client has no scope "write" (it may request: read)\n',
    });
  });
});

describe("one wording of a bad config for synth, report, check:security and m2m", () => {
  const problems = [
    '  clients[0].scope: is not a known field; did you mean "scopes"? (got ["hello-world"])',
  ];
  const badConfig = () =>
    writeConfig(
      "bad.config.ts",
      // Configs are read as data (issue 21): the variant is written out as a literal.
      `export default ${JSON.stringify({ ...singleApiConfig, clients: singleApiConfig.clients.map(({ scopes, ...rest }, i) => (i === 0 ? { ...rest, scope: scopes } : { ...rest, scopes })) })};\n`,
    );

  it.each([
    ["synth", "run.js", () => ["main.ts"], (file: string) => ({ M2M_CONFIG: file })],
    ["report", "run.js", (file: string) => ["reports/cli.ts", "--config", file, "--out", join(dir, "reports")], () => ({})],
    ["check:security", "run.js", (file: string) => ["security/cli.ts", "--config", file], () => ({})],
    ["m2m", "m2m.js", (file: string) => ["dev", "--config", file], () => ({})],
  ])("%s: exit 1, the same headline and problem lines", async (command, script, args, extraEnv) => {
    const file = badConfig();
    const result = await run(script, args(file), extraEnv(file));
    const shown = relative(ROOT, file);
    expect(result).toEqual({ code: 1, stdout: "", stderr: [`${command}: ${shown} is invalid (1 problem); nothing was done`, ...problems, ""].join("\n") });
  });

  it("a config with only named exports says exactly that, at each export", async () => {
    const file = writeConfig("named.config.ts", "export const config = { api: {} };\nexport const routes = [];\n");
    const shown = relative(ROOT, file);
    const lines = (command: string) =>
      [
        `${command}: cannot load ${shown}: is read as data, never run, and 2 constructs are not data (write the values out, or generate this file: docs/configure.md, "Computed configs")`,
        `  ${shown}:1:1: exports a binding: a config exports only its default (export default defineConfig({ ... }))`,
        `  ${shown}:2:1: exports a binding: a config exports only its default (export default defineConfig({ ... }))`,
        "",
      ].join("\n");
    expect(await run("run.js", ["main.ts"], { M2M_CONFIG: file })).toEqual({ code: 1, stdout: "", stderr: lines("synth") });
    expect((await m2m(["dev", "--config", file])).stderr).toBe(lines("m2m"));
  });

  it("a config file with no export at all", async () => {
    const file = writeConfig("empty.config.ts", "const config = {};\n");
    expect(await run("run.js", ["main.ts"], { M2M_CONFIG: file })).toEqual({
      code: 1,
      stdout: "",
      stderr: `synth: cannot load ${relative(ROOT, file)}: has no default export: write export default defineConfig({ ... })\n`,
    });
  });

  it("an empty clients list: synthesized, with one warning line", async () => {
    const file = writeConfig(
      "no-clients.config.ts",
      `export default ${JSON.stringify({ ...singleApiConfig, clients: [], routes: singleApiConfig.routes.filter((r) => r.authorizer !== "scope-checker") })};\n`,
    );
    const result = await run("run.js", ["main.ts"], { M2M_CONFIG: file, CDKTF_OUTDIR: join(dir, "no-clients-out") });
    expect(result.stderr).toBe("synth: warning: clients: is empty: no caller can get a token, so the API refuses every request (add a client, see README) (got [])\n");
    expect(result.code).toBe(0);
  });

  it("report and check:security: a wrong option is a usage error (exit 2)", async () => {
    expect(await run("run.js", ["reports/cli.ts", "--colour"])).toEqual({
      code: 2,
      stdout: "",
      stderr: "report: Unknown option '--colour' (usage: npm run report [-- --base <git ref>] [--out <dir>] [--config <file>])\n",
    });
    expect(await run("run.js", ["security/cli.ts", "--colour"])).toEqual({
      code: 2,
      stdout: "",
      stderr: 'check:security: unknown argument "--colour"; usage: npm run check:security [-- --stacks DIR] [--config FILE]\n',
    });
  });
});
