/**
 * The trusted side of the review as it runs (issue 21): review.yml's own step scripts, in order,
 * in a copy of this repository standing for main's checkout, with a `gh` stand-in serving the
 * pull request (its changed files and its head as GitHub's tarball) and recording comments and
 * commit statuses. Shown failing on 0644668 (the scripts and steps did not exist; the review read
 * the PR's model and stacks from its own run, and checked handlers against main's checkout):
 *   hole 3   the stacks planned are synthesized here, by main's code, from the PR's config files;
 *   hole 4   a config that reads the environment stops the review, naming the place;
 *   hole 5   a PR that adds a handler file gets its diff (the handler is read from the PR's
 *            content); the comment names the head commit; a new head marks it stale at once;
 *            a failed review replaces it and sets a failing commit status;
 *   hole 6   a posture downgrade (prod's kind) is shown as security-relevant, with its owners.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseDocument } from "yaml";
import { tempDir } from "../support/synth";
import { fakeGh, type FakeGitHub } from "../support/fake-gh";

const ROOT = resolve(__dirname, "..", "..");
const BASE_SHA = "a".repeat(40);
const HEAD_SHA = "b".repeat(40);
const NEWER_SHA = "c".repeat(40);
const TRACKED = spawnSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" }).stdout.split("\0").filter((f) => f !== "" && existsSync(join(ROOT, f)));

type Step = { name?: string; run?: string; env?: Record<string, string> };
const review = parseDocument(readFileSync(join(ROOT, ".github", "workflows", "review.yml"), "utf8")).toJS() as { jobs: Record<string, { steps: Step[] }> };

/** A copy of this repository's tracked files (main's checkout, or the PR's head), node_modules linked. */
function repositoryCopy(dir: string, edit: Record<string, string | null> = {}): string {
  mkdirSync(dir, { recursive: true });
  for (const file of TRACKED) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(ROOT, file), join(dir, file));
  }
  for (const [file, text] of Object.entries(edit)) {
    if (text === null) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

function runScript(script: string, cwd: string, env: Record<string, string>): { status: number; stdout: string; stderr: string } {
  const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], { cwd, encoding: "utf8", env: { PATH: process.env.PATH ?? "", HOME: cwd, ...env } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs review.yml's access-diff steps (after `npm ci`: node_modules is linked) against a pull
 * request whose head is this repository with `edit` applied; stops at the first failing step.
 */
function accessDiff(name: string, edit: Record<string, string>, changed: string[]) {
  const dir = tempDir(`review-${name}`);
  repositoryCopy(join(dir, "head", `acme-cognito-m2m-${HEAD_SHA.slice(0, 7)}`), edit);
  const tarball = join(dir, "head.tar.gz");
  expect(spawnSync("tar", ["-czf", tarball, "-C", join(dir, "head"), "."]).status).toBe(0);
  const checkout = repositoryCopy(join(dir, "checkout"));
  symlinkSync(join(ROOT, "node_modules"), join(checkout, "node_modules"));
  const gh = fakeGh(dir, { pulls: [{ number: 7, head: { sha: HEAD_SHA } }], files: { "7": changed }, comments: [], statuses: [], tarball });
  const env = { ...gh.env, PATH: `${gh.bin}:${join(ROOT, "node_modules", ".bin")}:${process.env.PATH ?? ""}`, GITHUB_STEP_SUMMARY: join(dir, "summary.md"), REPOSITORY: "acme/cognito-m2m", HEAD_SHA, GH_TOKEN: "t" };
  const steps = review.jobs["access-diff"]!.steps.filter((s) => s.run !== undefined && !s.run.startsWith("npm ci"));
  let last = { name: "", status: 0, stdout: "", stderr: "" };
  for (const step of steps) {
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).filter(([, v]) => !v.includes("${{")));
    last = { name: step.name ?? "", ...runScript(step.run!, checkout, { ...env, ...stepEnv }) };
    if (last.status !== 0) break;
  }
  const diff = existsSync(join(checkout, "review", "access-diff.md")) ? readFileSync(join(checkout, "review", "access-diff.md"), "utf8") : "";
  return { checkout, last, diff };
}

const mainConfig = readFileSync(join(ROOT, "m2m.config.ts"), "utf8");
const edited = (from: string, to: string) => {
  if (!mainConfig.includes(from)) throw new Error(`fixture: ${from} not in m2m.config.ts`);
  return mainConfig.replace(from, to);
};
const REFUNDS_ROUTE = `routes: [
        {
          method: "POST",
          path: "/refunds",
          scopes: ["write"],
          description: "Refunds a payment",
          backend: { type: "lambda", handler: "backends/refunds.ts#handler" },
        },`;

describe("review.yml's access-diff job, run step by step", () => {
  test("holes 3 and 5: a PR adding a handler file gets its diff; main's code synthesizes the stacks the plan reads", () => {
    const config = edited('{ name: "write", description: "Initiate payments" },\n      ],\n      routes: [', `{ name: "write", description: "Initiate payments" },\n      ],\n      ${REFUNDS_ROUTE}`);
    const handler = 'export async function handler(): Promise<{ statusCode: number; body: string }> {\n  return { statusCode: 200, body: "{}" };\n}\n';
    const { checkout, last, diff } = accessDiff("handler", { "m2m.config.ts": config, "backends/refunds.ts": handler }, ["m2m.config.ts", "backends/refunds.ts"]);
    expect([last.name, last.status, last.stderr]).toEqual(["Access diff in the job summary", 0, ""]);
    expect(diff.split("\n")[0]).toBe("<!-- cognito-m2m-access-diff -->");
    expect(diff).toContain(`<!-- cognito-m2m-head-sha: ${HEAD_SHA} -->`);
    expect(diff).toMatch(/POST \/refunds/);
    expect(diff).toContain("> - `backends/refunds.ts`"); // a handler is code: listed for the platform owners
    expect(diff).toContain("with the platform owners (`@acme/platform`)");
    // The stacks the plan job downloads: synthesized here, with the PR's handler bundled by main's code.
    const prod = JSON.parse(readFileSync(join(checkout, "cdktf.out", "stacks", "prod", "cdk.tf.json"), "utf8"));
    expect(Object.keys(prod.resource.aws_lambda_function)).toEqual(expect.arrayContaining([expect.stringMatching(/refunds/)]));
    // What ran here is main's code only: no file the pull request supplied is an input of a program the job ran.
    for (const program of ["main", "reports-cli"]) {
      const inputs = Object.keys(JSON.parse(readFileSync(join(checkout, ".m2m", "build", `${program}.inputs.json`), "utf8")));
      expect(inputs).toContain("model/config-data-reader.ts");
      expect(inputs.filter((f) => /^backends\/|\.m2m\.ts$|^m2m\.config\.ts$/.test(f))).toEqual([]);
    }
  });

  test("hole 4: a config that reads the environment stops the review at the PR's model, naming the construct", () => {
    const config = edited('scopes: ["payments:read", "payments:write"],', 'scopes: ["payments:read", ...(global.process.env.M2M_ENV === "prod" ? ["payments:write"] : [])],');
    const { last, diff } = accessDiff("env", { "m2m.config.ts": config }, ["m2m.config.ts"]);
    expect([last.name, last.status]).toEqual(["The pull request's model, read as data and validated by main's code", 1]);
    expect(last.stderr).toMatch(/model:json: cannot load m2m\.config\.ts: is read as data, never run, and 1 construct is not data/);
    expect(last.stderr).toMatch(/m2m\.config\.ts:\d+:\d+: a conditional \(global\.process\.env\.M2M_ENV/);
    expect(diff).toBe("");
  });

  test("hole 6: prod set to development is a security-relevant change with its owners, not 'no changes'", () => {
    // Alarm addresses where alarms are off are refused (nothing a user set is dropped in silence):
    // the downgrade drops them with the kind.
    const config = edited('alarms: { emails: ["platform-oncall@example.com"] },', "").replace('kind: "production", // deletion protection', 'kind: "development", // deletion protection');
    const { last, diff } = accessDiff("posture", { "m2m.config.ts": config }, ["m2m.config.ts"]);
    expect(last.status).toBe(0);
    expect(diff).toContain("**Security-relevant changes** (environment protections): approval needed from `@acme/platform`.");
    for (const line of ["`prod`: environment kind production → development **(weaker)**", "`prod`: deletion protection on → off **(weaker)**", "`prod`: WAF on", "`prod`: alarms on (to platform-oncall@example.com) → off **(weaker)**", "`prod`: access and execution logs on → off **(weaker)**"]) {
      expect(diff).toContain(line);
    }
  });
});

describe("review-verdict.sh: the comment and the commit status belong to one commit (hole 5)", () => {
  const SCRIPT = join(ROOT, ".github", "scripts", "review-verdict.sh");
  const MARKER = "<!-- cognito-m2m-access-diff -->";
  const benign = `${MARKER}\n<!-- cognito-m2m-head-sha: ${BASE_SHA} -->\nNo access changes between \`the base branch\` and the pull request, in any environment.\n`;

  function github(initial: Partial<FakeGitHub> = {}) {
    const dir = tempDir("verdict");
    const gh = fakeGh(dir, { pulls: [{ number: 7, head: { sha: HEAD_SHA } }], files: {}, comments: [{ id: 1, user: { login: "github-actions[bot]" }, body: benign }], statuses: [], ...initial });
    const run = (mode: string, env: Record<string, string> = {}) =>
      runScript(`bash ${SCRIPT} ${mode}`, dir, { ...gh.env, PATH: `${gh.bin}:${process.env.PATH ?? ""}`, REPOSITORY: "acme/cognito-m2m", HEAD_SHA, RUN_URL: "https://github.com/acme/cognito-m2m/actions/runs/9", GH_TOKEN: "t", ...env });
    return { dir, gh, run };
  }

  test("a new head: its status is pending and the old comment is marked stale at once, naming both commits", () => {
    const { gh, run } = github();
    expect(run("stale").status).toBe(0);
    const [comment] = gh.state().comments;
    expect(comment!.body.split("\n")[0]).toBe(MARKER);
    expect(comment!.body).toContain(`**Stale:** this review is of commit \`${BASE_SHA}\`; the pull request's head is now \`${HEAD_SHA}\``);
    expect(comment!.body).toContain("No access changes"); // the old text stays, under the banner
    expect(gh.state().statuses).toEqual([expect.objectContaining({ sha: HEAD_SHA, state: "pending", context: "access review" })]);
    // Marked once: a second start of the same head changes nothing more.
    expect(run("stale").status).toBe(0);
    expect(gh.state().comments[0]!.body).toBe(comment!.body);
  });

  test("a comment from before commits were named is marked stale too", () => {
    const { gh, run } = github({ comments: [{ id: 1, user: { login: "github-actions[bot]" }, body: `${MARKER}\nNo access changes.\n` }] });
    expect(run("stale").status).toBe(0);
    expect(gh.state().comments[0]!.body).toContain("**Stale:** this review is of commit `(not named)`");
  });

  test("a failed review replaces the comment with a failure notice for the head, and the status fails", () => {
    const { gh, run } = github();
    const result = run("verdict", { ACCESS_DIFF_RESULT: "failure", PLAN_RESULT: "skipped" });
    expect(result.status).toBe(1);
    const [comment] = gh.state().comments;
    expect(comment!.body).toContain(`**The access review of commit \`${HEAD_SHA}\` failed**`);
    expect(comment!.body).not.toContain("No access changes");
    expect(gh.state().statuses).toEqual([expect.objectContaining({ sha: HEAD_SHA, state: "failure" })]);
  });

  test("a successful review posts the head's diff and a success status; a failed plan makes it a failure", () => {
    const { dir, gh, run } = github();
    const file = join(dir, "access-diff.md");
    writeFileSync(file, `${MARKER}\n<!-- cognito-m2m-head-sha: ${HEAD_SHA} -->\n## Access changes\n`);
    expect(run("verdict", { ACCESS_DIFF_RESULT: "success", PLAN_RESULT: "success", REVIEW_FILE: file }).status).toBe(0);
    expect(gh.state().comments).toEqual([expect.objectContaining({ id: 1, body: `${MARKER}\n<!-- cognito-m2m-head-sha: ${HEAD_SHA} -->\n## Access changes\n` })]);
    expect(gh.state().statuses.at(-1)).toMatchObject({ sha: HEAD_SHA, state: "success" });
    expect(run("verdict", { ACCESS_DIFF_RESULT: "success", PLAN_RESULT: "failure", REVIEW_FILE: file }).status).toBe(1);
    expect(gh.state().comments[0]!.body).toContain("**The plan of this commit failed**");
    expect(gh.state().statuses.at(-1)).toMatchObject({ sha: HEAD_SHA, state: "failure" });
  });

  test("a review finishing after a newer push writes no comment (the newer head's review does), only its own commit's status", () => {
    const { dir, gh, run } = github({ pulls: [{ number: 7, head: { sha: NEWER_SHA } }] });
    const file = join(dir, "access-diff.md");
    writeFileSync(file, `${MARKER}\n<!-- cognito-m2m-head-sha: ${HEAD_SHA} -->\nbenign\n`);
    // The PR is found by its head: HEAD_SHA is no open PR's head any more.
    expect(run("verdict", { ACCESS_DIFF_RESULT: "success", PLAN_RESULT: "success", REVIEW_FILE: file }).status).toBe(0);
    expect(gh.state().comments[0]!.body).toBe(benign);
    expect(gh.state().statuses).toEqual([expect.objectContaining({ sha: HEAD_SHA, state: "success" })]);
  });
});
