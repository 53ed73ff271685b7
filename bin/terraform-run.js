#!/usr/bin/env node
/**
 * `npm run deploy|diff|destroy -- [ENV ...] [--auto-approve] [--outputs-file FILE]`: Terraform
 * itself on the synthesized stacks, with no framework CLI in between. Local deploys and CI
 * deploys (.github/workflows/deploy-environment.yml) run exactly these steps:
 *
 *   1. `m2m doctor` for the environments named (deploy and diff; M2M_SKIP_PREFLIGHT=1 skips it);
 *   2. synth (bin/run.js main.ts), so what is planned is what the config says now;
 *   3. per environment, in cdktf.out/stacks/<env>: `terraform init -input=false`, then
 *      diff:    `terraform plan -input=false`
 *      deploy:  `terraform plan -input=false -out=<plan file>`, approval, `terraform apply <plan file>`
 *      destroy: the same with `plan -destroy`;
 *   4. deploy with --outputs-file: the stack's `terraform output -json` values, one object per
 *      environment (the shape `m2m --outputs` reads; sensitive outputs left out unless
 *      --include-sensitive-outputs).
 *
 * Terraform's own output and errors reach the user unchanged (its stdio is ours); off a terminal
 * it gets -no-color. Approval: --auto-approve, or a "yes" typed at a terminal after the plan is
 * shown; anything else applies nothing. Applying the saved plan means exactly the changes shown
 * are made: if the state moved in between, Terraform refuses the stale plan.
 */
"use strict";
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { outputValues, writeEnvironmentOutputs } = require("./outputs-file");

const ROOT = path.join(__dirname, "..");
/** Where synth writes (CDKTF_OUTDIR, as main.ts reads it), relative to the project. */
const OUTDIR = path.resolve(ROOT, process.env.CDKTF_OUTDIR || "cdktf.out");
const STACKS = path.join(OUTDIR, "stacks");
const COMMANDS = ["deploy", "diff", "destroy"];
const PLAN_FILE = "m2m.tfplan";

function fail(command, message, code = 1) {
  process.stderr.write(`${command}: ${message}\n`);
  process.exit(code);
}

/** The command line, read strictly: unknown options are refused, not passed on. */
function parseArgs(argv) {
  const [command, ...rest] = argv;
  if (!COMMANDS.includes(command)) fail("terraform-run", `usage: node bin/terraform-run.js <${COMMANDS.join("|")}> [ENV ...] [--auto-approve] [--outputs-file FILE]`, 2);
  const options = { command, environments: [], autoApprove: false, outputsFile: undefined, includeSensitive: false };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === "--auto-approve" && command !== "diff") options.autoApprove = true;
    else if (arg === "--outputs-file" && command === "deploy") {
      options.outputsFile = rest[++i];
      if (options.outputsFile === undefined) fail(command, "--outputs-file needs a file name, e.g. --outputs-file outputs.json", 2);
    } else if (arg === "--include-sensitive-outputs" && command === "deploy") options.includeSensitive = true;
    else if (arg.startsWith("-")) fail(command, `unknown option '${arg}': npm run ${command} -- ${usageOf(command)}`, 2);
    else options.environments.push(arg);
  }
  return options;
}

function usageOf(command) {
  if (command === "diff") return "[ENV ...]";
  if (command === "destroy") return "ENV ... [--auto-approve]";
  return "ENV ... [--auto-approve] [--outputs-file FILE] [--include-sensitive-outputs]";
}

function run(program, args, options = {}) {
  const result = spawnSync(program, args, { stdio: "inherit", env: { ...process.env, CHECKPOINT_DISABLE: "1" }, ...options });
  if (result.error) return { status: 127, error: result.error };
  return { status: result.status ?? 1 };
}

function preflight(options) {
  if (options.command === "destroy" || process.env.M2M_SKIP_PREFLIGHT) return;
  const envs = options.environments.flatMap((name) => ["--env", name]);
  const doctor = run(process.execPath, [path.join(__dirname, "m2m.js"), "doctor", ...envs]);
  if (doctor.status !== 0) fail(options.command, "stopped before terraform: fix the failed checks above (M2M_SKIP_PREFLIGHT=1 skips the preflight)", doctor.status || 1);
}

function synth(command) {
  const result = run(process.execPath, [path.join(__dirname, "run.js"), "main.ts"], { cwd: ROOT, env: { ...process.env, CDKTF_OUTDIR: OUTDIR } });
  if (result.status !== 0) fail(command, "stopped: synth failed (see above); nothing was planned", result.status);
}

function stacksToRun(options) {
  const available = fs.existsSync(STACKS) ? fs.readdirSync(STACKS).filter((n) => fs.existsSync(path.join(STACKS, n, "cdk.tf.json"))).sort() : [];
  if (options.environments.length === 0) {
    // Planning every environment is harmless; changing them all at once is never implied.
    if (options.command !== "diff") fail(options.command, `name the environment(s): npm run ${options.command} -- ${available[0] ?? "ENV"} (environments: ${available.join(", ") || "none"})`, 2);
    return available;
  }
  for (const env of options.environments) {
    if (!available.includes(env)) fail(options.command, `no environment '${env}' in the config (environments: ${available.join(", ") || "none"})`, 2);
  }
  return options.environments;
}

function terraform(command, env, args) {
  const colour = process.stdout.isTTY ? [] : ["-no-color"];
  const [sub, ...rest] = args;
  const result = run("terraform", [`-chdir=${path.join(STACKS, env)}`, sub, ...colour, ...rest]);
  if (result.error) fail(command, `cannot run terraform (${result.error.code || result.error.message}): install Terraform >= 1.10 and put it on PATH`, 127);
  return result.status;
}

/** A "yes" typed at the terminal; off a terminal, nothing is approved without --auto-approve. */
function approved(options, env) {
  if (options.autoApprove) return true;
  if (!process.stdin.isTTY) {
    fs.rmSync(path.join(STACKS, env, PLAN_FILE), { force: true });
    fail(options.command, `not applied: no terminal to approve the plan for ${env} on; read the plan above, then run again with --auto-approve`, 1);
  }
  process.stdout.write(`\nApply this plan to ${env}? Only 'yes' applies it: `);
  const answer = readLine();
  return answer.trim() === "yes";
}

function readLine() {
  const buffer = Buffer.alloc(1);
  let line = "";
  for (;;) {
    let read;
    try {
      read = fs.readSync(0, buffer, 0, 1, null);
    } catch (error) {
      if (error.code === "EAGAIN") continue;
      throw error;
    }
    if (read === 0 || buffer[0] === 10) return line;
    line += buffer.toString("utf8");
  }
}

function writeOutputs(options, env) {
  const result = spawnSync("terraform", [`-chdir=${path.join(STACKS, env)}`, "output", "-json"], { encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  if (result.status !== 0) fail(options.command, `applied, but 'terraform output -json' failed for ${env}: ${String(result.stderr).trim().split("\n")[0]}`);
  const file = path.resolve(options.outputsFile);
  writeEnvironmentOutputs(file, env, outputValues(JSON.parse(result.stdout), options.includeSensitive));
  process.stdout.write(`${options.command}: outputs of ${env} written to ${options.outputsFile}\n`);
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const { command } = options;
  preflight(options);
  synth(command);
  for (const env of stacksToRun(options)) {
    process.stdout.write(`\n== ${command} ${env} (${path.relative(ROOT, path.join(STACKS, env))}) ==\n`);
    const init = terraform(command, env, ["init", "-input=false"]);
    if (init !== 0) fail(command, `terraform init failed for ${env} (exit ${init}): see Terraform's error above`, init);
    if (command === "diff") {
      const plan = terraform(command, env, ["plan", "-input=false"]);
      if (plan !== 0) fail(command, `terraform plan failed for ${env} (exit ${plan}): see Terraform's error above`, plan);
      continue;
    }
    const planArgs = ["plan", "-input=false", `-out=${PLAN_FILE}`, ...(command === "destroy" ? ["-destroy"] : [])];
    const plan = terraform(command, env, planArgs);
    if (plan !== 0) fail(command, `terraform plan failed for ${env} (exit ${plan}): see Terraform's error above; nothing was applied`, plan);
    // The saved plan can hold sensitive values: removed whatever happens next.
    let outcome;
    try {
      if (!approved(options, env)) outcome = { message: `not applied to ${env}: the plan was not approved`, code: 1 };
      else {
        const apply = terraform(command, env, ["apply", "-input=false", PLAN_FILE]);
        if (apply !== 0) outcome = { message: `terraform apply failed for ${env} (exit ${apply}): see Terraform's error above`, code: apply };
      }
    } finally {
      fs.rmSync(path.join(STACKS, env, PLAN_FILE), { force: true });
    }
    if (outcome) fail(command, outcome.message, outcome.code);
    if (options.outputsFile !== undefined) writeOutputs(options, env);
  }
}

main();
