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

describe("workflow files", () => {
  const files = texts();

  it("are the three workflows, each valid YAML without warnings", () => {
    expect(Object.keys(files).sort()).toEqual(["deploy-environment.yml", "deploy.yml", "pull-request.yml"]);
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

  it("grant only contents: read at the top, and set a timeout on every job that runs steps", () => {
    for (const file of Object.keys(files)) {
      const wf = load(file);
      expect([file, wf.permissions]).toEqual([file, { contents: "read" }]);
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

  it("write permissions appear only where needed: PR comments in one job, OIDC tokens in plan and deploy jobs", () => {
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
      "pull-request.yml:access-diff-comment:pull-requests",
      "pull-request.yml:plan:id-token",
    ]);
  });

  it("run Node.js 20 and a pinned Terraform version", () => {
    for (const file of Object.keys(files)) {
      const wf = load(file);
      expect([file, wf.env?.NODE_VERSION]).toEqual([file, "20"]);
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

describe("pull-request workflow", () => {
  const wf = load("pull-request.yml");

  it("runs on pull requests, one run per PR at a time", () => {
    expect(Object.keys(wf.on)).toEqual(["pull_request"]);
    expect(wf.concurrency).toEqual({ group: "pull-request-${{ github.event.pull_request.number }}", "cancel-in-progress": true });
    expect(Object.keys(wf.jobs)).toEqual(["verify", "access-diff-comment", "plan", "plan-skipped"]);
  });

  it("verify: installs, type-checks, tests, synthesizes, checks security, writes the access diff against the base branch", () => {
    const job = wf.jobs["verify"]!;
    expect(job.permissions).toBeUndefined(); // inherits contents: read
    expect(stepUsing(job, "actions/checkout").with).toEqual({ "fetch-depth": 0, "persist-credentials": false });
    expect(runs(job).slice(0, 6)).toEqual([
      "npm ci --no-audit --no-fund",
      "npm run typecheck",
      "npm test",
      "npm run synth",
      "npm run check:security",
      'npm run report -- --base "origin/${BASE_REF}"',
    ]);
    // The plan matrix: environments with remote state only (the script is tested in workflow-scripts.test.ts).
    const list = job.steps!.find((s) => s.run?.includes("remote-state-environments.sh"))!;
    expect(list.run!.trim()).toBe("bash .github/scripts/remote-state-environments.sh planned");
    expect(wf.jobs["verify"] as unknown as { outputs: Record<string, string> }).toMatchObject({
      outputs: { environments: `\${{ steps.${(list as Step & { id: string }).id}.outputs.environments }}` },
    });
    const report = job.steps!.find((s) => s.run?.startsWith("npm run report"))!;
    expect(report.env).toEqual({ BASE_REF: "${{ github.base_ref }}" });
    const uploads = job.steps!.filter((s) => s.uses?.startsWith("actions/upload-artifact@")).map((s) => s.with);
    expect(uploads).toContainEqual(expect.objectContaining({ name: "access-reports", path: "cdktf.out/reports" }));
  });

  it("access-diff-comment: finds its earlier comment by the report's marker and updates it, or creates one", () => {
    const job = wf.jobs["access-diff-comment"]!;
    expect(job.needs).toBe("verify");
    expect(job.permissions).toEqual({ "pull-requests": "write" });
    expect(job.steps!.some((s) => s.uses?.startsWith("actions/checkout@"))).toBe(false); // runs no project code
    const post = job.steps!.find((s) => s.run?.includes("gh api"))!;
    expect(post.env?.MARKER).toBe(ACCESS_DIFF_MARKER);
    expect(post.env?.GH_TOKEN).toBe("${{ github.token }}");
    expect(post.run).toContain("startswith(env.MARKER)");
    expect(post.run).toContain("--method PATCH");
    expect(post.run).toContain("--method POST");
    expect(post.run).toContain("reports/access-diff.md");
  });

  it("plan: per environment with remote state, with OIDC credentials, only when the repository provides a plan role", () => {
    const job = wf.jobs["plan"]!;
    expect(job.needs).toBe("verify");
    expect(job.if).toBe(
      "vars.AWS_PLAN_ROLE_ARN != '' && github.event.pull_request.head.repo.full_name == github.repository && needs.verify.outputs.environments != '[]'",
    );
    // contents: read only to check out the base branch's guard.
    expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(job.strategy?.matrix?.environment).toBe("${{ fromJSON(needs.verify.outputs.environments) }}");
    expect(stepUsing(job, "aws-actions/configure-aws-credentials").with?.["role-to-assume"]).toBe("${{ vars.AWS_PLAN_ROLE_ARN }}");
    const plan = job.steps!.find((s) => s.run?.startsWith("terraform plan"))!;
    expect(plan["working-directory"]).toBe("cdktf.out/stacks/${{ matrix.environment }}");
    expect(job.steps!.find((s) => s.run?.startsWith("terraform init"))?.["working-directory"]).toBe("cdktf.out/stacks/${{ matrix.environment }}");
  });

  it("plan: runs in the `plan` GitHub environment, so a maintainer approves before any credentials are issued", () => {
    const job = wf.jobs["plan"]!;
    expect(job.environment).toBe("plan");
  });

  it("plan: guards each stack with the BASE branch's rules before credentials, terraform init or plan", () => {
    const job = wf.jobs["plan"]!;
    const steps = job.steps!;
    const checkout = stepUsing(job, "actions/checkout");
    expect(checkout.with).toEqual({
      ref: "${{ github.event.pull_request.base.sha }}", // the base branch, never the pull request's head
      path: "base",
      "sparse-checkout": ".github/plan-guard",
      "persist-credentials": false,
    });
    const guard = steps.find((s) => s.run?.includes("node \"$GUARD\""))!;
    expect(guard.env).toEqual({ STACK_DIR: "cdktf.out/stacks/${{ matrix.environment }}", GUARD: "base/.github/plan-guard/check-plan-input.js" });
    const at = (predicate: (s: Step) => boolean) => steps.findIndex(predicate);
    const checkoutAt = at((s) => s === checkout);
    const downloadAt = at((s) => s.uses?.startsWith("actions/download-artifact@") === true);
    const guardAt = at((s) => s === guard);
    const credentialsAt = at((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@") === true);
    const initAt = at((s) => s.run?.startsWith("terraform init") === true);
    const planAt = at((s) => s.run?.startsWith("terraform plan") === true);
    expect(checkoutAt).toBeGreaterThanOrEqual(0);
    expect(downloadAt).toBeGreaterThanOrEqual(0);
    // The base checkout comes after the pull request's artifact, so nothing in the artifact can stand in for the guard.
    expect(checkoutAt).toBeGreaterThan(downloadAt);
    expect(guardAt).toBeGreaterThan(checkoutAt);
    expect(credentialsAt).toBeGreaterThan(guardAt);
    expect(initAt).toBeGreaterThan(credentialsAt);
    expect(planAt).toBeGreaterThan(initAt);
    // Only the base branch's guard is checked out: the pull request's code never is, in this job.
    expect(steps.filter((s) => s.uses?.startsWith("actions/checkout@"))).toHaveLength(1);
  });

  it("plan-skipped: says so with a notice when there is no plan role, with no permissions at all", () => {
    const job = wf.jobs["plan-skipped"]!;
    // The complement of the plan job's credential conditions (no remote-state environment: the verify job's notice says so).
    expect(job.if).toBe("vars.AWS_PLAN_ROLE_ARN == '' || github.event.pull_request.head.repo.full_name != github.repository");
    expect(job.permissions).toEqual({});
    expect(runs(job).join("\n")).toMatch(/^echo "::notice title=terraform plan skipped::/);
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
    const deployAt = scripts.indexOf('npm run deploy -- "${M2M_ENV}" --auto-approve --outputs-file outputs.json');
    const smokeAt = scripts.indexOf('npx m2m smoke --outputs outputs.json --env "${M2M_ENV}"');
    expect(deployAt).toBeGreaterThan(-1);
    expect(smokeAt).toBeGreaterThan(deployAt);
    expect(scripts.some((s) => s.includes(".terraform.backend.s3"))).toBe(true); // refuses local state (backstop)
  });

  it("flush API Gateway's authorizer cache right after a successful deploy, before the smoke test", () => {
    const job = environment.jobs["deploy"]!;
    const steps = job.steps!;
    const deployAt = steps.findIndex((s) => s.run?.startsWith("npm run deploy") === true);
    const flushAt = steps.findIndex((s) => s.run?.includes("flush-authorizer-cache.sh") === true);
    const smokeAt = steps.findIndex((s) => s.run?.startsWith("npx m2m smoke") === true);
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

  it("keeps the cdktf packages out of the npm group: a provider bump must follow a plan-guard update", () => {
    const npm = config.updates.find((u) => u["package-ecosystem"] === "npm")!;
    expect(npm.groups!["npm"]!["exclude-patterns"]).toEqual(expect.arrayContaining(["cdktf", "@cdktf/*"]));
  });
});
