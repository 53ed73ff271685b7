/**
 * `npm run deploy|diff|destroy` (bin/terraform-run.js): Terraform itself on the synthesized
 * stacks. With a recording `terraform` on PATH: the steps, in order, per environment (init, plan
 * to a file, apply that file), approval, the plan file removed, the outputs file's shape. With the
 * real terraform: its own error reaches the user, and the runner's line says which step failed.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, runNode } from "../support/node-child";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "m2m-terraform-run-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RUNNER = join(ROOT, "bin", "terraform-run.js");

/**
 * A `terraform` that appends its arguments (with `-chdir=` cut to the stack name) to a log, writes
 * the plan file it is asked for, and answers `output -json` like Terraform does.
 */
function recordingTerraform(log: string, failOn?: string): string {
  const bin = mkdtempSync(join(dir, "bin-"));
  const outputs = JSON.stringify({
    token_endpoint: { sensitive: false, type: "string", value: "https://auth.example/oauth2/token" },
    client_ids: { sensitive: false, type: ["map", "string"], value: { billing: "abc" } },
    hidden: { sensitive: true, type: "string", value: "s3cr3t" },
  });
  writeFileSync(
    join(bin, "terraform"),
    [
      "#!/bin/sh",
      'chdir="${1#-chdir=}"; stack=$(basename "$chdir"); shift',
      `echo "$stack $*" >> ${log}`,
      failOn ? `case "$*" in ${failOn}*) echo "Error: ${failOn} went wrong" >&2; exit 3;; esac` : "",
      'for a in "$@"; do case "$a" in -out=*) echo plan > "$chdir/${a#-out=}" ;; esac; done',
      `[ "$1" = output ] && echo '${outputs}'`,
      "exit 0",
    ].join("\n"),
  );
  chmodSync(join(bin, "terraform"), 0o755);
  return bin;
}

function runner(args: string[], bin: string, outdir: string) {
  return runNode([RUNNER, ...args], { PATH: `${bin}:${process.env.PATH}`, HOME: dir, M2M_SKIP_PREFLIGHT: "1", CDKTF_OUTDIR: outdir });
}

const logOf = (file: string) => readFileSync(file, "utf8").trimEnd().split("\n");

describe("npm run deploy", () => {
  it("synthesizes, then per environment: init, plan to a file, apply that file, outputs (sensitive left out)", async () => {
    const outdir = join(dir, "deploy-out");
    const log = join(dir, "deploy.log");
    const outputsFile = join(dir, "outputs.json");
    const result = await runner(["deploy", "dev", "prod", "--auto-approve", "--outputs-file", outputsFile], recordingTerraform(log), outdir);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^synthesized dev, prod -> /);
    expect(logOf(log)).toEqual([
      "dev init -no-color -input=false",
      "dev plan -no-color -input=false -out=m2m.tfplan",
      "dev apply -no-color -input=false m2m.tfplan",
      "dev output -json",
      "prod init -no-color -input=false",
      "prod plan -no-color -input=false -out=m2m.tfplan",
      "prod apply -no-color -input=false m2m.tfplan",
      "prod output -json",
    ]);
    const outputs = { token_endpoint: "https://auth.example/oauth2/token", client_ids: { billing: "abc" } };
    expect(JSON.parse(readFileSync(outputsFile, "utf8"))).toEqual({ dev: outputs, prod: outputs });
    // The stacks are the real synthesized ones.
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual(["dev", "prod"]);
    // The saved plans (they can hold sensitive values) are gone.
    expect(existsSync(join(outdir, "stacks", "dev", "m2m.tfplan"))).toBe(false);
    expect(existsSync(join(outdir, "stacks", "prod", "m2m.tfplan"))).toBe(false);
  });

  it("off a terminal without --auto-approve: plans, applies nothing, says how to approve", async () => {
    const log = join(dir, "unapproved.log");
    const result = await runner(["deploy", "dev"], recordingTerraform(log), join(dir, "unapproved-out"));
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("deploy: not applied: no terminal to approve the plan for dev on; read the plan above, then run again with --auto-approve\n");
    expect(logOf(log)).toEqual(["dev init -no-color -input=false", "dev plan -no-color -input=false -out=m2m.tfplan"]);
  });

  it("a failed plan stops before apply, naming the step; Terraform's own error is passed through", async () => {
    const log = join(dir, "failed.log");
    const result = await runner(["deploy", "dev", "--auto-approve"], recordingTerraform(log, "plan"), join(dir, "failed-out"));
    expect(result.code).toBe(3);
    expect(result.stderr).toBe("Error: plan went wrong\ndeploy: terraform plan failed for dev (exit 3): see Terraform's error above; nothing was applied\n");
    expect(logOf(log)).toEqual(["dev init -no-color -input=false", "dev plan -no-color -input=false -out=m2m.tfplan"]);
  });

  it("destroy plans with -destroy; diff plans every environment and applies nothing", async () => {
    const log = join(dir, "destroy.log");
    const destroy = await runner(["destroy", "dev", "--auto-approve"], recordingTerraform(log), join(dir, "destroy-out"));
    expect(destroy.code).toBe(0);
    expect(logOf(log)).toEqual(["dev init -no-color -input=false", "dev plan -no-color -input=false -out=m2m.tfplan -destroy", "dev apply -no-color -input=false m2m.tfplan"]);
    const diffLog = join(dir, "diff.log");
    const diff = await runner(["diff"], recordingTerraform(diffLog), join(dir, "diff-out"));
    expect(diff.code).toBe(0);
    expect(logOf(diffLog)).toEqual(["dev init -no-color -input=false", "dev plan -no-color -input=false", "prod init -no-color -input=false", "prod plan -no-color -input=false"]);
  });

  it.each([
    [["deploy"], "deploy: name the environment(s): npm run deploy -- dev (environments: dev, prod)\n", 2],
    [["deploy", "staging"], "deploy: no environment 'staging' in the config (environments: dev, prod)\n", 2],
    [["deploy", "dev", "--bogus"], "deploy: unknown option '--bogus': npm run deploy -- ENV ... [--auto-approve] [--outputs-file FILE] [--include-sensitive-outputs]\n", 2],
    [["diff", "--auto-approve"], "diff: unknown option '--auto-approve': npm run diff -- [ENV ...]\n", 2],
  ])("%j: one line with the next step, exit %#", async (args, message, code) => {
    const log = join(dir, `misuse-${args.join("-")}.log`);
    const result = await runner(args as string[], recordingTerraform(log), join(dir, `misuse-${args.join("-")}-out`));
    expect(result.stderr).toBe(message);
    expect(result.code).toBe(code);
    expect(existsSync(log)).toBe(false);
  });
});

describe("npm run deploy with the real terraform", () => {
  const haveTerraform = spawnSync("terraform", ["version"], { encoding: "utf8" }).status === 0;
  (haveTerraform ? it : it.skip)("init's own error (the pinned provider is not in this machine's mirror) reaches the user, then the step that failed", async () => {
    const cliConfig = join(dir, "mirror-only.rc");
    // Only the filesystem mirror: it carries hashicorp/aws 5.100.0, the stacks pin 6.66.0.
    writeFileSync(cliConfig, 'provider_installation {\n  filesystem_mirror {\n    path = "/opt/tf-plugins"\n  }\n}\n');
    const result = await runNode([RUNNER, "deploy", "dev", "--auto-approve"], {
      PATH: process.env.PATH,
      HOME: dir,
      M2M_SKIP_PREFLIGHT: "1",
      CDKTF_OUTDIR: join(dir, "real-out"),
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_PLUGIN_CACHE_DIR: "",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Error: Failed to query available provider packages[\s\S]*hashicorp\/aws/);
    expect(result.stderr.trimEnd().split("\n").pop()).toBe("deploy: terraform init failed for dev (exit 1): see Terraform's error above");
  }, 120000);
});
