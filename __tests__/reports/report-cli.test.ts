/**
 * `npm run report` end to end: reports/cli.ts under tsx in a child process, in a real
 * temporary git repository holding a copy of the config and the model, so the test does not
 * depend on this checkout's history.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ACCESS_DIFF_MARKER } from "../../reports/access-diff-markdown";
import { environmentReportFiles } from "../../reports/report-files";
import { clientNamed, editedModel } from "./config-fixtures";

const ROOT = resolve(__dirname, "..", "..");
const TSX = join(ROOT, "node_modules", ".bin", "tsx");
const CLI = join(ROOT, "reports", "cli.ts");

const ORIGINAL_GRANT = 'scopes: ["hello-world"] }';
const WIDER_GRANT = 'scopes: ["hello-world", "read"] }';

let repo: string;
let originalConfig: string;

function git(...args: string[]): void {
  const run = spawnSync("git", ["-c", "user.name=report-test", "-c", "user.email=report-test@example.invalid", "-c", "commit.gpgsign=false", ...args], {
    cwd: repo,
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${run.stderr}`);
}

function report(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env };
  delete env.M2M_CONFIG;
  const run = spawnSync(TSX, [CLI, ...args], { cwd: repo, encoding: "utf8", env });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function writeConfig(text: string): void {
  writeFileSync(join(repo, "m2m.config.ts"), text);
}

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), "m2m-report-cli-"));
  // The one-API form (these cases check its reports as they always were), as the repository's config.
  const fixture = readFileSync(join(ROOT, "__tests__", "fixtures", "single-api.config.ts"), "utf8");
  writeFileSync(join(repo, "m2m.config.ts"), fixture.replace('from "../../model/config-types"', 'from "./model/config-types"'));
  cpSync(join(ROOT, "model"), join(repo, "model"), { recursive: true });
  originalConfig = readFileSync(join(repo, "m2m.config.ts"), "utf8");
  // The edits below rewrite the config's text: make sure the text still reads as expected.
  expect(originalConfig.split(ORIGINAL_GRANT)).toHaveLength(2);
  git("init", "-q");
  git("add", ".");
  git("commit", "-q", "-m", "base");
  git("tag", "base-valid");
});

afterAll(() => {
  rmSync(repo, { recursive: true, force: true });
});

describe("npm run report", () => {
  it("writes every report and the access diff against a git ref", () => {
    writeConfig(originalConfig.replace(ORIGINAL_GRANT, WIDER_GRANT));
    const run = report("--base", "base-valid", "--out", "out");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("access changes in dev, prod since base-valid -> out/access-diff.md");

    const diff = readFileSync(join(repo, "out", "access-diff.md"), "utf8");
    expect(diff.split("\n")[0]).toBe(ACCESS_DIFF_MARKER);
    expect(diff).toContain("```diff\n3rd-party:\n+ GET /premium\n```");
    expect(diff).toContain("`base-valid` → the working tree");

    // Exactly what the library renders for the same edit: the CLI adds nothing machine-specific.
    const expected = environmentReportFiles(editedModel((c) => void clientNamed(c, "3rd-party").scopes.push("read")));
    expect(expected.map((f) => f.path).sort()).toEqual(
      ["dev", "prod"].flatMap((e) => ["access.html", "access.json", "access.md", "openapi.json"].map((f) => `${e}/${f}`)).sort(),
    );
    for (const file of expected) {
      const written = readFileSync(join(repo, "out", ...file.path.split("/")), "utf8");
      expect([file.path, written]).toEqual([file.path, file.content]);
      expect(written).not.toContain(repo);
    }
  });

  it("without --base, leaves no stale access diff behind", () => {
    const run = report("--out", "out");
    expect(run.status).toBe(0);
    expect(existsSync(join(repo, "out", "access-diff.md"))).toBe(false);
    expect(existsSync(join(repo, "out", "dev", "access.html"))).toBe(true);
  });

  it("an unknown base ref: one error line naming the ref, non-zero exit", () => {
    const run = report("--base", "no-such-ref", "--out", "out");
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^report: cannot read the base config at git ref "no-such-ref": no such commit/);
  });

  it("an invalid working-tree config: its problems, no stack trace", () => {
    writeConfig(originalConfig.replace(ORIGINAL_GRANT, 'scopes: ["hello-world", "no-such-scope"] }'));
    const run = report("--out", "out");
    writeConfig(originalConfig);
    expect(run.status).toBe(1);
    expect(run.stderr.trimEnd().split("\n")).toEqual([
      "report: m2m.config.ts is invalid (1 problem); nothing was done",
      '  clients[0].scopes[1]: must name a scope defined in api.scopes (hello-world, read, write, payments.read, payments.write) (got "no-such-scope")',
    ]);
  });

  it("a base whose config fails today's validation: an error naming the ref, then its problems", () => {
    writeConfig(originalConfig.replace(ORIGINAL_GRANT, 'scopes: ["retired-scope"] }'));
    git("commit", "-q", "-am", "invalid config");
    writeConfig(originalConfig);
    const run = report("--base", "HEAD", "--out", "out");
    expect(run.status).toBe(1);
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe('report: the config at git ref "HEAD" fails today\'s validation (1 problem):');
    expect(lines.slice(1)).toEqual(['  clients[0].scopes[0]: must name a scope defined in api.scopes (hello-world, read, write, payments.read, payments.write) (got "retired-scope")']);
  });
});

describe("npm run report, several APIs (the default config)", () => {
  let multi: string;
  const run = (...args: string[]) => {
    const env = { ...process.env };
    delete env.M2M_CONFIG;
    const r = spawnSync(TSX, [CLI, ...args], { cwd: multi, encoding: "utf8", env });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const gitIn = (...args: string[]) => {
    const r = spawnSync("git", ["-c", "user.name=report-test", "-c", "user.email=report-test@example.invalid", "-c", "commit.gpgsign=false", ...args], { cwd: multi, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${r.stderr}`);
  };
  const GRANT = 'scopes: ["content:read"] }';

  beforeAll(() => {
    multi = mkdtempSync(join(tmpdir(), "m2m-report-cli-multi-"));
    cpSync(join(ROOT, "m2m.config.ts"), join(multi, "m2m.config.ts"));
    for (const dir of ["model", "backends"]) cpSync(join(ROOT, dir), join(multi, dir), { recursive: true });
    expect(readFileSync(join(multi, "m2m.config.ts"), "utf8").split(GRANT)).toHaveLength(2);
    gitIn("init", "-q");
    gitIn("add", ".");
    gitIn("commit", "-q", "-m", "base");
  });

  afterAll(() => rmSync(multi, { recursive: true, force: true }));

  it("writes access.md, access.json and an OpenAPI document per API per environment, the central view, and the diff by API", () => {
    const config = readFileSync(join(multi, "m2m.config.ts"), "utf8");
    // The reader (a client of the main config) is granted the payments team's scope: a cross-team grant.
    writeFileSync(join(multi, "m2m.config.ts"), config.replace(GRANT, 'scopes: ["content:read", "payments:read"] }'));
    const r = run("--base", "HEAD", "--out", "out");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("report: dev, prod -> out/<env>/{access.md,access.json,openapi-content.json,openapi-payments.json} and out/access.html");
    for (const env of ["dev", "prod"]) {
      for (const file of ["access.md", "access.json", "openapi-content.json", "openapi-payments.json"]) expect(existsSync(join(multi, "out", env, file))).toBe(true);
      expect(existsSync(join(multi, "out", env, "access.html"))).toBe(false);
    }
    expect(readFileSync(join(multi, "out", "access.html"), "utf8")).toContain('<select id="filter-api">');
    const diff = readFileSync(join(multi, "out", "access-diff.md"), "utf8");
    expect(diff).toContain("#### API `payments`: ask `@acme/payments-team`");
    expect(diff).toContain("**Cross-team grant**: Client `reader`: scope grant **added** `payments:read`");
    expect(diff).toContain("```diff\nreader:\n+ GET /payments/{id}\n```");
    writeFileSync(join(multi, "m2m.config.ts"), config);
  });
});
