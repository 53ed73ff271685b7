/**
 * A workflow step as the runner runs it: found in its workflow by job and a predicate, its `run`
 * text executed with `bash --noprofile --norc -eo pipefail` and only the env given (plus PATH).
 * Shared by the workflow tests (synthesized stacks) and the terraform tier's deploy-script
 * tests (an emulator apply's real outputs).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseDocument } from "yaml";

export const REPO_ROOT = resolve(__dirname, "..", "..");

export type WorkflowStep = { name?: string; run?: string; env?: Record<string, string> };

export function stepOf(workflow: string, job: string, matches: (s: WorkflowStep) => boolean): WorkflowStep {
  const wf = parseDocument(readFileSync(join(REPO_ROOT, ".github", "workflows", workflow), "utf8")).toJS() as { jobs: Record<string, { steps: WorkflowStep[] }> };
  const step = wf.jobs[job]!.steps.find(matches);
  if (!step) throw new Error(`no such step in ${workflow} ${job}`);
  return step;
}

/** Runs a step's script as GitHub's runner does (`bash --noprofile --norc -eo pipefail`). */
export function runStep(script: string, cwd: string, env: Record<string, string>): { status: number; stdout: string; stderr: string } {
  const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], {
    cwd,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: cwd, ...env },
    encoding: "utf8",
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
