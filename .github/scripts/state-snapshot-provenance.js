#!/usr/bin/env node
/**
 * Where a state snapshot may come from, and what it may name (issue 21, hole 2). The review
 * plans against a sanitized snapshot of the state; a snapshot is an input terraform acts on
 * (`terraform init` installs every provider a resource in it names), so:
 *
 *   pick <runs.json>     prints the id of the newest run of state-snapshot.yml that THIS
 *                        repository's default branch made on its own (event push, schedule or
 *                        workflow_run: never a dispatch, never a pull request, never a fork's
 *                        branch that happens to be called `main`); nothing when there is none.
 *                        runs.json: GET /repos/{repo}/actions/workflows/state-snapshot.yml/runs.
 *                        Env: REPOSITORY (owner/name), DEFAULT_BRANCH.
 *   check <snapshots dir>  every <env>/snapshot.json is a version-4 state whose resources name
 *                        only the providers the stacks pin (the plan guard's allow-list), and
 *                        nothing else is in the directory. Exit 1 with one ::error line each.
 *
 * Plain CommonJS on Node.js 20 with no dependencies (the plan job installs nothing).
 */
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { parseStrictJson } = require(path.join(__dirname, "..", "plan-guard", "strict-json.js"));

const ALLOW_LIST = path.join(__dirname, "..", "plan-guard", "allow-list.json");
const SNAPSHOT_WORKFLOW = ".github/workflows/state-snapshot.yml";
/** Events GitHub runs from the default branch's own code; a dispatch may name any branch. */
const TRUSTED_EVENTS = new Set(["push", "schedule", "workflow_run"]);
const ENVIRONMENT_NAME = /^[a-z0-9](?:[a-z0-9-]{0,18}[a-z0-9])?$/;
const STATE_KEYS = new Set(["version", "terraform_version", "serial", "lineage", "outputs", "resources", "check_results"]);
/** Far above a real state snapshot, far below what could exhaust the runner. */
const MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024;

/** Why a run of the snapshot workflow may not be used, or undefined when it may. */
function runProblem(run, repository, defaultBranch) {
  if (run === null || typeof run !== "object") return "not a run";
  if (run.status !== "completed" || run.conclusion !== "success") return `not a successful run (${run.status}/${run.conclusion})`;
  if (!TRUSTED_EVENTS.has(run.event)) return `event ${run.event} (only push, schedule and workflow_run runs of the default branch are used)`;
  if (run.path !== SNAPSHOT_WORKFLOW) return `workflow ${run.path}, not ${SNAPSHOT_WORKFLOW}`;
  if (run.repository?.full_name !== repository) return `repository ${run.repository?.full_name}, not ${repository}`;
  if (run.head_repository?.full_name !== repository) return `made from ${run.head_repository?.full_name}, not ${repository}`;
  if (run.head_branch !== defaultBranch) return `branch ${run.head_branch}, not the default branch ${defaultBranch}`;
  return undefined;
}

function pick(runsFile, repository, defaultBranch) {
  const runs = parseStrictJson(fs.readFileSync(runsFile, "utf8")).workflow_runs;
  if (!Array.isArray(runs)) throw new Error(`${runsFile} holds no workflow_runs list`);
  const usable = runs.filter((r) => runProblem(r, repository, defaultBranch) === undefined);
  usable.sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));
  return usable[0]?.id;
}

/** The provider addresses the stacks pin: `provider["registry.terraform.io/hashicorp/aws"]`. */
function pinnedProviders() {
  const { requiredProviders } = parseStrictJson(fs.readFileSync(ALLOW_LIST, "utf8"));
  return new Set(Object.values(requiredProviders).map((p) => `provider["registry.terraform.io/${p.source}"]`));
}

function checkSnapshots(dir) {
  const problems = [];
  const pinned = pinnedProviders();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !ENVIRONMENT_NAME.test(entry.name)) {
      problems.push(`${entry.name}: only <environment>/snapshot.json may be in the snapshot artifact`);
      continue;
    }
    const envDir = path.join(dir, entry.name);
    for (const inner of fs.readdirSync(envDir, { withFileTypes: true })) {
      if (inner.name !== "snapshot.json" || !inner.isFile()) problems.push(`${entry.name}/${inner.name}: only snapshot.json may be in an environment's snapshot`);
    }
    const file = path.join(envDir, "snapshot.json");
    if (!fs.existsSync(file)) continue;
    const where = `${entry.name}/snapshot.json`;
    if (fs.statSync(file).size > MAX_SNAPSHOT_BYTES) {
      problems.push(`${where}: larger than ${MAX_SNAPSHOT_BYTES} bytes`);
      continue;
    }
    let state;
    try {
      state = parseStrictJson(fs.readFileSync(file, "utf8"));
    } catch (error) {
      problems.push(`${where}: cannot be read strictly: ${error.message}`);
      continue;
    }
    if (state === null || typeof state !== "object" || Array.isArray(state) || state.version !== 4) {
      problems.push(`${where}: not a version 4 Terraform state`);
      continue;
    }
    for (const key of Object.keys(state)) if (!STATE_KEYS.has(key)) problems.push(`${where}: unexpected top-level key ${JSON.stringify(key)}`);
    if (!Array.isArray(state.resources)) {
      problems.push(`${where}: resources is not a list`);
      continue;
    }
    state.resources.forEach((r, i) => {
      if (r === null || typeof r !== "object" || Array.isArray(r)) return problems.push(`${where}: resources[${i}] is not an object`);
      if (r.module !== undefined) problems.push(`${where}: resources[${i}] is in module ${JSON.stringify(r.module)} (the stacks use no modules)`);
      if (!pinned.has(r.provider)) problems.push(`${where}: resources[${i}] (${r.type}.${r.name}) names provider ${JSON.stringify(r.provider)}, which the stacks do not pin (only ${[...pinned].join(", ")}); terraform init would install it`);
    });
  }
  return problems;
}

module.exports = { runProblem, pick, checkSnapshots };

if (require.main === module) {
  const [mode, arg] = process.argv.slice(2);
  if (mode === "pick" && arg) {
    const { REPOSITORY, DEFAULT_BRANCH } = process.env;
    if (!REPOSITORY || !DEFAULT_BRANCH) {
      process.stderr.write("pick needs REPOSITORY and DEFAULT_BRANCH in the environment\n");
      process.exit(2);
    }
    const id = pick(arg, REPOSITORY, DEFAULT_BRANCH);
    if (id !== undefined) process.stdout.write(`${id}\n`);
  } else if (mode === "check" && arg) {
    const problems = checkSnapshots(arg);
    for (const p of problems) process.stdout.write(`::error title=state snapshot refused::${p.replace(/[\r\n]/g, " ")}\n`);
    if (problems.length > 0) {
      process.stdout.write(`state snapshot: ${problems.length} problem${problems.length === 1 ? "" : "s"}; the review stops here (no plan runs against a snapshot that is not main's own). Publish a fresh one: run the state snapshot workflow on the default branch.\n`);
      process.exit(1);
    }
    process.stdout.write(`state snapshot: ${arg}: ok\n`);
  } else {
    process.stderr.write("usage: state-snapshot-provenance.js pick <runs.json> | check <snapshots dir>\n");
    process.exit(2);
  }
}
