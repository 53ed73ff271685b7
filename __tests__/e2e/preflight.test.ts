/**
 * Before a deploy: `m2m doctor` with fake programs on PATH and a fake HOME in a temp dir (no
 * AWS, no registry), `npm run deploy`/`diff`'s wrapper off a terminal, and `npm run dev`
 * stopped by SIGTERM through npm.
 */
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { connect } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { providerPins } from "../../constructs/required-providers";
import { ROOT, runNode } from "../support/node-child";
import singleApiConfig from "../fixtures/single-api.config";


let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "m2m-preflight-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = runNode;

/** A directory with one executable shell script, for PATH. */
function fakeProgram(name: string, script: string): string {
  const bin = mkdtempSync(join(dir, "bin-"));
  writeFileSync(join(bin, name), `#!/bin/sh\n${script}\n`);
  chmodSync(join(bin, name), 0o755);
  return bin;
}

const terraform = (version: string) => fakeProgram("terraform", `[ "$1 $2" = "version -json" ] && echo '{"terraform_version":"${version}","platform":"linux_amd64"}'`);

/** A config: the default one with its prod state bucket, logging role and scope checker's reservation set as given. */
function config(name: string, bucket: string, devManagesRole = false, prodReserves?: number): string {
  const file = join(dir, `${name}.config.ts`);
  writeFileSync(
    file,
    // Configs are read as data (issue 21): the variant is written out as a literal.
    `export default ${JSON.stringify({
      ...singleApiConfig,
      environments: singleApiConfig.environments.map((e) =>
        e.name === "prod"
          ? { ...e, backend: { ...e.backend, bucket }, ...(prodReserves === undefined ? {} : { scopeChecker: { reservedConcurrency: prodReserves } }) }
          : { ...e, ...(devManagesRole ? { region: "eu-west-1", accessLogs: { enabled: true, manageAccountRole: true } } : {}) },
      ),
    })};\n`,
  );
  return file;
}

/** The versions the stacks pin (the provider classes' own): what the doctor must find. */
const AWS = providerPins().get("aws")!;
const ARCHIVE = providerPins().get("archive")!;
const PLATFORM = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;

/** A home with AWS config and a Terraform CLI config naming a filesystem mirror that holds the given provider versions (default: the pinned ones). */
function readyHome(versions: { aws: string; archive?: string } = { aws: AWS.version, archive: ARCHIVE.version }): { home: string; cliConfig: string } {
  const home = mkdtempSync(join(dir, "home-"));
  mkdirSync(join(home, ".aws"));
  writeFileSync(join(home, ".aws", "credentials"), "[ci]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = test-only\n");
  writeFileSync(join(home, ".aws", "config"), "[profile ci]\nregion = eu-west-1\n");
  const mirror = join(home, "providers");
  mkdirSync(join(mirror, "registry.terraform.io", "hashicorp", "aws", versions.aws, PLATFORM), { recursive: true });
  // Packed form for archive: terraform providers mirror writes either.
  if (versions.archive) {
    mkdirSync(join(mirror, "registry.terraform.io", "hashicorp", "archive"), { recursive: true });
    writeFileSync(join(mirror, "registry.terraform.io", "hashicorp", "archive", `terraform-provider-archive_${versions.archive}_${PLATFORM}.zip`), "");
  }
  const cliConfig = join(home, "terraform.rc");
  writeFileSync(cliConfig, `provider_installation {\n  filesystem_mirror {\n    path = "${mirror}"\n  }\n}\n`);
  return { home, cliConfig };
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((closed) => server.close(() => closed()));
  return port;
}

const doctor = (configFile: string, env: NodeJS.ProcessEnv) => run([join(ROOT, "bin", "m2m.js"), "doctor", "--config", configFile], env);

describe("m2m doctor", () => {
  it("everything in place: one ok line per check, exit 0", async () => {
    const { home, cliConfig } = readyHome();
    const bin = terraform("1.10.5");
    const result = await doctor(config("ready", "my-team-tf-state"), { PATH: bin, HOME: home, AWS_PROFILE: "ci", TF_CLI_CONFIG_FILE: cliConfig });
    expect(result.stderr).toBe("");
    expect(result.stdout.trimEnd().split("\n")).toEqual([
      `ok    terraform: 1.10.5 at ${join(bin, "terraform")} (1.10 or later needed for S3 state locking with use_lockfile (prod))`,
      `ok    provider hashicorp/archive ${ARCHIVE.version}: in the filesystem mirror ${join(home, "providers")} for ${PLATFORM} (CLI config ${cliConfig})`,
      `ok    provider hashicorp/aws ${AWS.version}: in the filesystem mirror ${join(home, "providers")} for ${PLATFORM} (CLI config ${cliConfig})`,
      "ok    aws credentials: access key from ~/.aws/credentials [ci] (present; validity is checked by AWS at deploy)",
      "ok    aws region: eu-west-1 from ~/.aws/config [profile ci]; the stacks take theirs from the config (eu-west-1)",
      "ok    concurrency of dev: reserves none (opt-in: environments[].scopeChecker.reservedConcurrency, a lambda backend's reservedConcurrency)",
      "ok    concurrency of prod: reserves none (opt-in: environments[].scopeChecker.reservedConcurrency, a lambda backend's reservedConcurrency)",
      "ok    state of dev: local file ../../../terraform.dev.tfstate (fine for a trial; use an S3 backend to share it)",
      "ok    state of prod: s3://my-team-tf-state/cognito-m2m/prod.tfstate in eu-west-1",
      "ok    logging role: managed once per region: prod in eu-west-1",
    ]);
    expect(result.code).toBe(0);
  });

  it("each problem: its line says what is wrong and the fix, exit 1", async () => {
    const home = mkdtempSync(join(dir, "empty-home-"));
    const bin = terraform("1.9.8");
    const port = await closedPort();
    const result = await doctor(config("placeholder", "acme-terraform-state", true), {
      PATH: bin,
      HOME: home,
      TF_CLI_CONFIG_FILE: join(home, "missing.rc"),
      M2M_TERRAFORM_REGISTRY: `http://127.0.0.1:${port}/.well-known/terraform.json`,
    });
    expect(result.stderr).toBe("m2m doctor: 6 check(s) failed; fix them before deploying\n");
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`FAIL  terraform: 1.9.8 at ${join(bin, "terraform")} is older than 1.10, needed for S3 state locking with use_lockfile (prod): install it from https://developer.hashicorp.com/terraform/install`);
    for (const [i, p] of [ARCHIVE, AWS].entries()) {
      expect(lines[1 + i]).toBe(
        `FAIL  provider ${p.source} ${p.version}: 127.0.0.1:${port} unreachable (ECONNREFUSED) (TF_CLI_CONFIG_FILE ${join(home, "missing.rc")} not found): allow HTTPS to it, or configure a provider mirror in TF_CLI_CONFIG_FILE (provider_installation { network_mirror { url = "..." } }) that has ${p.version}`,
      );
    }
    expect(lines.slice(3)).toEqual([
      "FAIL  aws credentials: none found (checked AWS_ACCESS_KEY_ID, AWS_WEB_IDENTITY_TOKEN_FILE, ~/.aws/credentials and ~/.aws/config (profile default)): export AWS_PROFILE=<profile> after aws configure or aws sso login, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
      "warn  aws region: none set (checked AWS_REGION, AWS_DEFAULT_REGION, ~/.aws/config (profile default)); the stacks take theirs from the config (eu-west-1), but m2m --secret-id NAME needs AWS_REGION",
      "ok    concurrency of dev: reserves none (opt-in: environments[].scopeChecker.reservedConcurrency, a lambda backend's reservedConcurrency)",
      "ok    concurrency of prod: reserves none (opt-in: environments[].scopeChecker.reservedConcurrency, a lambda backend's reservedConcurrency)",
      "ok    state of dev: local file ../../../terraform.dev.tfstate (fine for a trial; use an S3 backend to share it)",
      'FAIL  state of prod: S3 bucket "acme-terraform-state" is the example\'s placeholder: create your own versioned bucket and name it in environments[].backend.bucket',
      "FAIL  logging role: dev and prod both manage the account's API Gateway logging role in eu-west-1 (one setting per account and region; each apply would take it from the other): set accessLogs.manageAccountRole on one of them only (if they share an account)",
    ]);
    expect(result.code).toBe(1);
  });

  it("no terraform on PATH; a network mirror that lists the pinned version is enough, one that lists others is not", async () => {
    const { home } = readyHome();
    const mirror: Server = createServer((req, res) => {
      const index = {
        "/providers/registry.terraform.io/hashicorp/aws/index.json": { versions: { "5.100.0": {}, [AWS.version]: {} } },
        "/providers/registry.terraform.io/hashicorp/archive/index.json": { versions: { "2.7.1": {} } },
      }[req.url ?? ""];
      res.writeHead(index ? 200 : 404, { "content-type": "application/json" });
      res.end(JSON.stringify(index ?? {}));
    });
    await new Promise<void>((ready) => mirror.listen(0, "127.0.0.1", ready));
    const url = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}/providers/`;
    const cliConfig = join(home, "network.rc");
    writeFileSync(cliConfig, `# a comment\nprovider_installation {\n  network_mirror {\n    url = "${url}"\n  }\n}\n`);
    try {
      const result = await doctor(config("network", "my-team-tf-state"), { PATH: mkdtempSync(join(dir, "nothing-")), HOME: home, AWS_PROFILE: "ci", TF_CLI_CONFIG_FILE: cliConfig });
      const lines = result.stdout.trimEnd().split("\n");
      expect(lines[0]).toBe("FAIL  terraform: not found on PATH: install it from https://developer.hashicorp.com/terraform/install");
      expect(lines[1]).toBe(
        `FAIL  provider hashicorp/archive ${ARCHIVE.version}: the network mirror ${url} lists 2.7.1 (CLI config ${cliConfig}); the stacks pin exactly ${ARCHIVE.version}: add it (terraform providers mirror <dir>, run in a synthesized stack, fetches exactly the pinned versions)`,
      );
      expect(lines[2]).toBe(`ok    provider hashicorp/aws ${AWS.version}: listed by the network mirror ${url} (CLI config ${cliConfig})`);
      expect(result.code).toBe(1);
    } finally {
      await new Promise<void>((closed) => mirror.close(() => closed()));
    }
  });

  it("the filesystem mirror has another version only (the project machines' 5.100.0): FAIL naming both", async () => {
    const { home, cliConfig } = readyHome({ aws: "5.100.0" });
    const result = await doctor(config("old-mirror", "my-team-tf-state"), { PATH: terraform("1.11.4"), HOME: home, AWS_PROFILE: "ci", TF_CLI_CONFIG_FILE: cliConfig });
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[1]).toBe(`FAIL  provider hashicorp/archive ${ARCHIVE.version}: the filesystem mirror ${join(home, "providers")} has none (CLI config ${cliConfig}); the stacks pin exactly ${ARCHIVE.version}: add it (terraform providers mirror <dir>, run in a synthesized stack, fetches exactly the pinned versions)`);
    expect(lines[2]).toBe(`FAIL  provider hashicorp/aws ${AWS.version}: the filesystem mirror ${join(home, "providers")} has 5.100.0 (CLI config ${cliConfig}); the stacks pin exactly ${AWS.version}: add it (terraform providers mirror <dir>, run in a synthesized stack, fetches exactly the pinned versions)`);
    expect(result.code).toBe(1);
  });

  it("no mirror: the registry's versions endpoint must list each pinned version", async () => {
    const { home } = readyHome();
    const asked: string[] = [];
    const registry: Server = createServer((req, res) => {
      asked.push(req.url ?? "");
      const body = {
        "/.well-known/terraform.json": { "providers.v1": "/v1/providers/" },
        "/v1/providers/hashicorp/aws/versions": { versions: [{ version: "6.65.0" }, { version: AWS.version }] },
        "/v1/providers/hashicorp/archive/versions": { versions: [{ version: "2.7.1" }] },
      }[req.url ?? ""];
      res.writeHead(body ? 200 : 404, { "content-type": "application/json" });
      res.end(JSON.stringify(body ?? {}));
    });
    await new Promise<void>((ready) => registry.listen(0, "127.0.0.1", ready));
    const host = `127.0.0.1:${(registry.address() as AddressInfo).port}`;
    try {
      const result = await doctor(config("registry", "my-team-tf-state"), {
        PATH: terraform("1.11.4"), HOME: home, AWS_PROFILE: "ci", TF_CLI_CONFIG_FILE: join(home, "none.rc"), M2M_TERRAFORM_REGISTRY: `http://${host}/.well-known/terraform.json`,
      });
      const lines = result.stdout.trimEnd().split("\n");
      expect(lines[1]).toBe(`FAIL  provider hashicorp/archive ${ARCHIVE.version}: ${host} does not list ${ARCHIVE.version} (TF_CLI_CONFIG_FILE ${join(home, "none.rc")} not found); the stacks pin exactly ${ARCHIVE.version}: check the registry, or mirror the provider`);
      expect(lines[2]).toBe(`ok    provider hashicorp/aws ${AWS.version}: ${host} lists it (TF_CLI_CONFIG_FILE ${join(home, "none.rc")} not found)`);
      expect(asked).toEqual(expect.arrayContaining(["/v1/providers/hashicorp/aws/versions", "/v1/providers/hashicorp/archive/versions"]));
    } finally {
      await new Promise<void>((closed) => registry.close(() => closed()));
    }
  });

  it("with credentials, what a stack reserves against the account's GetAccountSettings (signed, in the stack's region)", async () => {
    const { home, cliConfig } = readyHome();
    let account = { ConcurrentExecutions: 10, UnreservedConcurrentExecutions: 10 };
    const requests: { url?: string; authorization?: string }[] = [];
    const lambda: Server = createServer((req, res) => {
      requests.push({ url: req.url, authorization: req.headers.authorization });
      res.writeHead(req.url?.startsWith("/2016-08-19/account-settings") ? 200 : 404, { "content-type": "application/json" });
      res.end(JSON.stringify({ AccountLimit: { ...account, TotalCodeSize: 80530636800, CodeSizeUnzipped: 262144000, CodeSizeZipped: 52428800 }, AccountUsage: { TotalCodeSize: 0, FunctionCount: 0 } }));
    });
    await new Promise<void>((ready) => lambda.listen(0, "127.0.0.1", ready));
    const env = {
      PATH: terraform("1.11.4"), HOME: home, AWS_PROFILE: "ci", TF_CLI_CONFIG_FILE: cliConfig,
      AWS_ENDPOINT_URL_LAMBDA: `http://127.0.0.1:${(lambda.address() as AddressInfo).port}`, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    };
    const concurrency = async () => (await doctor(config("reserves", "my-team-tf-state", false, 50), env)).stdout.split("\n").filter((l) => l.includes("concurrency of"));
    try {
      // A new account: a quota of 10, all unreserved.
      expect(await concurrency()).toEqual([
        "ok    concurrency of dev: reserves none (opt-in: environments[].scopeChecker.reservedConcurrency, a lambda backend's reservedConcurrency)",
        "FAIL  concurrency of prod: reserves 50 (m2m-demo-api scope checker 50), but the account in eu-west-1 has a quota of 10, 10 unreserved and Lambda keeps 100 unreserved: the apply would fail; ask AWS for a higher concurrency quota, or reserve less",
      ]);
      // The request was GetAccountSettings, signed with the profile's key for Lambda in prod's region.
      expect(requests[0]!.url).toBe("/2016-08-19/account-settings");
      expect(requests[0]!.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/lambda\/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/);
      account = { ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 120 };
      expect((await concurrency())[1]).toBe("warn  concurrency of prod: reserves 50 (m2m-demo-api scope checker 50); the account in eu-west-1 has a quota of 1000, 120 unreserved: the apply fails unless these functions already hold their reservations (a redeploy); other functions reserve 880");
      account = { ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 1000 };
      expect((await concurrency())[1]).toBe("ok    concurrency of prod: reserves 50 (m2m-demo-api scope checker 50); the account in eu-west-1 has a quota of 1000, 1000 unreserved: 950 stay unreserved");
    } finally {
      await new Promise<void>((closed) => lambda.close(() => closed()));
    }
  });
});

describe("npm run deploy / diff run m2m doctor first", () => {
  it("for the stacks named, and stop before terraform when a check fails", async () => {
    const marker = join(dir, "terraform-ran");
    const bin = fakeProgram("terraform", `touch ${marker}`);
    const home = mkdtempSync(join(dir, "deploy-home-"));
    const result = await run([join(ROOT, "bin", "terraform-run.js"), "deploy", "prod", "--auto-approve", "--outputs-file", "outputs.json"], {
      PATH: bin,
      HOME: home,
      TF_CLI_CONFIG_FILE: join(home, "none.rc"),
      M2M_TERRAFORM_REGISTRY: `http://127.0.0.1:${await closedPort()}/`,
    });
    const checks = result.stdout.trimEnd().split("\n").map((l) => l.replace(/: .*/, ""));
    expect(checks).toEqual([
      "FAIL  terraform", `FAIL  provider hashicorp/archive ${ARCHIVE.version}`, `FAIL  provider hashicorp/aws ${AWS.version}`,
      "FAIL  aws credentials", "warn  aws region", "ok    concurrency of prod", "FAIL  state of prod", "ok    logging role",
    ]);
    expect(result.stderr).toBe("m2m doctor: 5 check(s) failed; fix them before deploying\ndeploy: stopped before terraform: fix the failed checks above (M2M_SKIP_PREFLIGHT=1 skips the preflight)\n");
    expect(result.code).toBe(1);
    expect(existsSync(marker)).toBe(false);
  });
});

describe("npm run dev stopped by SIGTERM through npm", () => {
  it("closes its port and removes its credentials file", async () => {
    const file = join(dir, "npm-dev", "local.json");
    const child = spawn("npm", ["run", "--silent", "dev", "--", "--port", "0", "--local-file", file], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    // The default config's two APIs have a port each, the token endpoint a third: every one must close.
    const ports = await new Promise<number[]>((ready, failed) => {
      child.stdout.on("data", (d) => {
        stdout += d;
        if (/ready .*\n/.test(stdout)) ready([...stdout.matchAll(/http:\/\/127\.0\.0\.1:(\d+)\//g)].map((m) => Number(m[1])));
      });
      child.on("close", () => failed(new Error(`npm run dev ended before it was ready: ${stdout}`)));
    });
    expect(existsSync(file)).toBe(true);
    const exited = new Promise<void>((done) => child.on("close", () => done()));
    child.kill("SIGTERM");
    await exited;
    // npm may return a moment before its child has finished stopping: allow it 3 s, no more.
    expect(new Set(ports).size).toBe(3);
    const listeningOn = (port: number) =>
      new Promise<boolean>((done) => {
        const socket = connect({ host: "127.0.0.1", port });
        socket.once("connect", () => (socket.destroy(), done(true)));
        socket.once("error", () => done(false));
      });
    const listening = async () => (await Promise.all(ports.map(listeningOn))).some(Boolean);
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline && ((await listening()) || existsSync(file))) await new Promise((r) => setTimeout(r, 100));
    expect(await listening()).toBe(false);
    expect(existsSync(file)).toBe(false);
  });
});
