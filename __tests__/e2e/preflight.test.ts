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

/** A config: the default one with its prod state bucket and logging role set as given. */
function config(name: string, bucket: string, devManagesRole = false): string {
  const file = join(dir, `${name}.config.ts`);
  writeFileSync(
    file,
    // Configs are read as data (issue 21): the variant is written out as a literal.
    `export default ${JSON.stringify({
      ...singleApiConfig,
      environments: singleApiConfig.environments.map((e) =>
        e.name === "prod" ? { ...e, backend: { ...e.backend, bucket } } : { ...e, ...(devManagesRole ? { region: "eu-west-1", accessLogs: { enabled: true, manageAccountRole: true } } : {}) },
      ),
    })};\n`,
  );
  return file;
}

/** A home with AWS config and a Terraform CLI config naming a filesystem mirror that holds the AWS provider. */
function readyHome(): { home: string; cliConfig: string } {
  const home = mkdtempSync(join(dir, "home-"));
  mkdirSync(join(home, ".aws"));
  writeFileSync(join(home, ".aws", "credentials"), "[ci]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = test-only\n");
  writeFileSync(join(home, ".aws", "config"), "[profile ci]\nregion = eu-west-1\n");
  const mirror = join(home, "providers");
  mkdirSync(join(mirror, "registry.terraform.io", "hashicorp", "aws", "6.25.0", "linux_amd64"), { recursive: true });
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
      `ok    provider: hashicorp/aws 6.25.0 in the filesystem mirror ${join(home, "providers")} (CLI config ${cliConfig})`,
      "ok    aws credentials: access key from ~/.aws/credentials [ci] (present; validity is checked by AWS at deploy)",
      "ok    aws region: eu-west-1 from ~/.aws/config [profile ci]; the stacks take theirs from the config (eu-west-1)",
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
    expect(result.stderr).toBe("m2m doctor: 5 check(s) failed; fix them before deploying\n");
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`FAIL  terraform: 1.9.8 at ${join(bin, "terraform")} is older than 1.10, needed for S3 state locking with use_lockfile (prod): install it from https://developer.hashicorp.com/terraform/install`);
    expect(lines[1]).toBe(
      `FAIL  provider: 127.0.0.1:${port} unreachable (ECONNREFUSED; TF_CLI_CONFIG_FILE ${join(home, "missing.rc")} not found): allow HTTPS to it, or configure a provider mirror in TF_CLI_CONFIG_FILE (provider_installation { network_mirror { url = "..." } })`,
    );
    expect(lines.slice(2)).toEqual([
      "FAIL  aws credentials: none found (checked AWS_ACCESS_KEY_ID, AWS_WEB_IDENTITY_TOKEN_FILE, ~/.aws/credentials and ~/.aws/config (profile default)): export AWS_PROFILE=<profile> after aws configure or aws sso login, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
      "warn  aws region: none set (checked AWS_REGION, AWS_DEFAULT_REGION, ~/.aws/config (profile default)); the stacks take theirs from the config (eu-west-1), but m2m --secret-id NAME needs AWS_REGION",
      "ok    state of dev: local file ../../../terraform.dev.tfstate (fine for a trial; use an S3 backend to share it)",
      'FAIL  state of prod: S3 bucket "acme-terraform-state" is the example\'s placeholder: create your own versioned bucket and name it in environments[].backend.bucket',
      "FAIL  logging role: dev and prod both manage the account's API Gateway logging role in eu-west-1 (one setting per account and region; each apply would take it from the other): set accessLogs.manageAccountRole on one of them only (if they share an account)",
    ]);
    expect(result.code).toBe(1);
  });

  it("no terraform on PATH; a network mirror that answers is enough for the provider", async () => {
    const { home } = readyHome();
    const mirror: Server = createServer((req, res) => {
      res.writeHead(req.url === "/providers/registry.terraform.io/hashicorp/aws/index.json" ? 200 : 404, { "content-type": "application/json" });
      res.end('{"versions":{"6.25.0":{}}}');
    });
    await new Promise<void>((ready) => mirror.listen(0, "127.0.0.1", ready));
    const url = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}/providers/`;
    const cliConfig = join(home, "network.rc");
    writeFileSync(cliConfig, `# a comment\nprovider_installation {\n  network_mirror {\n    url = "${url}"\n  }\n}\n`);
    try {
      const result = await doctor(config("network", "my-team-tf-state"), { PATH: mkdtempSync(join(dir, "nothing-")), HOME: home, AWS_PROFILE: "ci", TF_CLI_CONFIG_FILE: cliConfig });
      const lines = result.stdout.trimEnd().split("\n");
      expect(lines[0]).toBe("FAIL  terraform: not found on PATH: install it from https://developer.hashicorp.com/terraform/install");
      expect(lines[1]).toBe(`ok    provider: hashicorp/aws listed by the network mirror ${url} (CLI config ${cliConfig})`);
      expect(result.code).toBe(1);
    } finally {
      await new Promise<void>((closed) => mirror.close(() => closed()));
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
    expect(checks).toEqual(["FAIL  terraform", "FAIL  provider", "FAIL  aws credentials", "warn  aws region", "FAIL  state of prod", "ok    logging role"]);
    expect(result.stderr).toBe("m2m doctor: 4 check(s) failed; fix them before deploying\ndeploy: stopped before terraform: fix the failed checks above (M2M_SKIP_PREFLIGHT=1 skips the preflight)\n");
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
