/**
 * Issue 21, hole 2 (where the snapshot comes from): the review took the newest successful run
 * of state-snapshot.yml on any branch called `main`, with no event or repository filter, so a
 * fork's branch named `main` qualified. Now only runs the default branch of THIS repository made
 * on its own (push, schedule, workflow_run) are used; the CLI is what review.yml runs.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { tempDir } from "../support/synth";

const SCRIPT = resolve(__dirname, "..", "..", ".github", "scripts", "state-snapshot-provenance.js");

const run = (id: number, created: string, changes: Record<string, unknown> = {}) => ({
  id,
  created_at: created,
  status: "completed",
  conclusion: "success",
  event: "schedule",
  path: ".github/workflows/state-snapshot.yml",
  head_branch: "main",
  repository: { full_name: "acme/cognito-m2m" },
  head_repository: { full_name: "acme/cognito-m2m" },
  ...changes,
});

function pick(runs: unknown[]): { status: number | null; stdout: string } {
  const file = join(tempDir("snapshot-runs"), "runs.json");
  writeFileSync(file, JSON.stringify({ total_count: runs.length, workflow_runs: runs }));
  const r = spawnSync(process.execPath, [SCRIPT, "pick", file], { encoding: "utf8", env: { REPOSITORY: "acme/cognito-m2m", DEFAULT_BRANCH: "main" } });
  return { status: r.status, stdout: r.stdout };
}

test("takes the newest run the default branch of this repository made on its own, skipping every look-alike", () => {
  const result = pick([
    run(9, "2026-12-07T09:00:00Z", { head_repository: { full_name: "mallory/cognito-m2m" } }), // a fork's branch named main
    run(8, "2026-12-07T08:00:00Z", { event: "pull_request" }),
    run(7, "2026-12-07T07:00:00Z", { event: "workflow_dispatch" }), // a dispatch may name any branch's code
    run(6, "2026-12-07T06:00:00Z", { head_branch: "feature" }),
    run(5, "2026-12-07T05:00:00Z", { path: ".github/workflows/other.yml" }),
    run(4, "2026-12-07T04:00:00Z", { conclusion: "failure" }),
    run(3, "2026-12-07T03:00:00Z", { event: "workflow_run" }),
    run(2, "2026-12-07T02:00:00Z"),
  ]);
  expect(result).toEqual({ status: 0, stdout: "3\n" });
});

test("prints nothing when no run qualifies (the review then plans against an empty state, with a notice)", () => {
  expect(pick([run(9, "2026-12-07T09:00:00Z", { head_repository: { full_name: "mallory/cognito-m2m" } })])).toEqual({ status: 0, stdout: "" });
});
