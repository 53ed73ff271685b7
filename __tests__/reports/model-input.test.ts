/**
 * Issue 15, bypass 3: the access diff reviewers approve was produced by the pull request's own
 * code. An exit hook in the config overwrote access-diff.md with "No access changes" while the
 * config granted `reader` the payments scopes. Now the pull request's config is evaluated only
 * by `npm run model:json` (its one output: the model as data), and the trusted side reads that
 * file strictly, validates it with its own code, and computes the diff in another process and
 * directory; the stacks planned and deployed are synthesized from the same file.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import severalApisConfig from "../../m2m.config";
import defaultConfig from "../fixtures/single-api.config";
import { tempDir } from "../support/synth";
import { codeChangesOf, configCodeFindings, renderCodeChangeNotice } from "../../reports/code-change-notice";
import { ModelInputError, modelInputText, readModelInput } from "../../reports/model-input";
import { InvalidConfigError } from "../../model/command-voice";

const ROOT = resolve(__dirname, "..", "..");
const TSX = join(ROOT, "node_modules", ".bin", "tsx");
const FORGED = "<!-- cognito-m2m-access-diff -->\nNo access changes between `origin/main` and the working tree, in any environment.\n";

function tsx(cwd: string, args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(TSX, args, { cwd, encoding: "utf8", env: { PATH: process.env.PATH ?? "", HOME: cwd, ...env } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** An entry point as its npm script runs it (`npm run report`, `npm run synth`): compiled ahead, through bin/run.js. */
function entry(cwd: string, args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [join(ROOT, "bin", "run.js"), ...args], { cwd, encoding: "utf8", env: { PATH: process.env.PATH ?? "", HOME: cwd, ...env } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The default config granting `reader` the payments scopes, with an exit hook that forges the access diff. */
function hostileConfig(dir: string): string {
  const config = structuredClone(defaultConfig) as any;
  config.clients.find((c: { name: string }) => c.name === "reader").scopes.push("payments.read", "payments.write");
  const file = join(dir, "m2m.config.ts");
  writeFileSync(
    file,
    [
      'import { mkdirSync, writeFileSync } from "node:fs";',
      "process.on(\"exit\", () => {",
      '  mkdirSync("cdktf.out/reports", { recursive: true });',
      `  writeFileSync("cdktf.out/reports/access-diff.md", ${JSON.stringify(FORGED)});`,
      "});",
      `export default ${JSON.stringify(config)};`,
    ].join("\n"),
  );
  return file;
}

describe("bypass 3: the access diff comes from the pull request's code (before) / from data (now)", () => {
  it("before: the report ran in the process that evaluated the config, so the config's hook forged access-diff.md", () => {
    const dir = tempDir("forge-old");
    const config = hostileConfig(dir);
    const run = entry(dir, ["reports/cli.ts", "--config", config, "--out", "cdktf.out/reports"]);
    expect(run.status).toBe(0);
    // The file reviewers were shown says nothing changed; the config grants reader the payments scopes.
    expect(readFileSync(join(dir, "cdktf.out", "reports", "access-diff.md"), "utf8")).toBe(FORGED);
  });

  it("now: the hook runs only in the isolated model step; the trusted diff from its model shows the grant", () => {
    const pr = tempDir("forge-pr");
    const config = hostileConfig(pr);
    const model = tsx(pr, [join(ROOT, "scripts", "model-json.ts"), "--config", config, "--out", "model.json"]);
    expect([model.status, model.stderr]).toEqual([0, ""]);
    // The trusted job: another process, another directory, the base's model written by the base's code.
    const trusted = tempDir("forge-trusted");
    mkdirSync(join(trusted, "pr-model"));
    writeFileSync(join(trusted, "pr-model", "model.json"), readFileSync(join(pr, "model.json")));
    writeFileSync(join(trusted, "base-model.json"), modelInputText(defaultConfig));
    const report = entry(trusted, ["reports/cli.ts", "--head-model", "pr-model/model.json", "--base-model", "base-model.json", "--out", "review"]);
    expect([report.status, report.stderr]).toEqual([0, ""]);
    const diff = readFileSync(join(trusted, "review", "access-diff.md"), "utf8");
    expect(diff).not.toContain("No access changes");
    expect(diff).toMatch(/Client `reader`.*scope grant \*\*added\*\* `payments\.read`, `payments\.write`/);
    expect(existsSync(join(trusted, "cdktf.out"))).toBe(false); // nothing of the PR's ran here
  });

  it.each([
    ["the one-API form", join(ROOT, "__tests__", "fixtures", "single-api.config.ts"), defaultConfig as object],
    ["the default config (several APIs)", join(ROOT, "m2m.config.ts"), severalApisConfig as object],
  ])("now: the stacks synthesized from the model file are the config's, byte for byte (what is planned and deployed is what was diffed): %s", (_form, configFile, config) => {
    const dir = tempDir("model-synth");
    writeFileSync(join(dir, "model.json"), modelInputText(config));
    const fromJson = entry(ROOT, ["main.ts"], { M2M_CONFIG: join(dir, "model.json"), CDKTF_OUTDIR: join(dir, "from-json") });
    const fromTs = entry(ROOT, ["main.ts"], { M2M_CONFIG: configFile, CDKTF_OUTDIR: join(dir, "from-ts") });
    expect([fromJson.status, fromTs.status]).toEqual([0, 0]);
    for (const env of ["dev", "prod"]) {
      expect(readFileSync(join(dir, "from-json", "stacks", env, "cdk.tf.json"), "utf8")).toBe(readFileSync(join(dir, "from-ts", "stacks", env, "cdk.tf.json"), "utf8"));
    }
  });
});

describe("reading a model file on the trusted side", () => {
  const dir = tempDir("model-input");
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it("refuses a repeated key (JSON.parse would keep the last `clients`, hiding the first)", () => {
    const text = modelInputText(defaultConfig).replace(/^\{/, '{"clients": [],');
    expect(() => readModelInput(write("dup.json", text), "dup.json")).toThrow(ModelInputError);
    expect(() => readModelInput(write("dup.json", text), "dup.json")).toThrow(/duplicate key "clients"/);
  });

  it("validates with this checkout's rules and names every problem", () => {
    const config = structuredClone(defaultConfig) as any;
    config.clients[0].scopes = ["no-such-scope"];
    const error = (() => {
      try {
        readModelInput(write("invalid.json", JSON.stringify(config)), "invalid.json");
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect(JSON.stringify((error as InvalidConfigError).problems)).toContain("no-such-scope");
  });

  it("refuses a missing file, and writes no model for a config that is not plain data", () => {
    expect(() => readModelInput(join(dir, "absent.json"), "absent.json")).toThrow(/cannot use the model file absent\.json: no such file/);
    const config = structuredClone(defaultConfig) as any;
    config.routes[0].description = () => "x";
    expect(() => modelInputText(config)).toThrow(/invalid config/);
  });
});

describe("the 'changes code that decides access' notice", () => {
  it("lists every changed file outside the config and the documentation", () => {
    const changes = codeChangesOf(["m2m.config.ts", "README.md", "docs/threat-model.md", "constructs/cognito.ts", ".github/workflows/review.yml", "package-lock.json", ""]);
    expect(changes).toEqual({ config: true, code: [".github/workflows/review.yml", "constructs/cognito.ts", "package-lock.json"] });
    const notice = renderCodeChangeNotice(changes);
    expect(notice).toContain("**This PR changes code that decides access.**");
    expect(notice).toContain("> - `constructs/cognito.ts`");
  });

  it("says nothing when only the config and documentation change, and escapes hostile file names", () => {
    expect(renderCodeChangeNotice(codeChangesOf(["m2m.config.ts", "docs/a.md"]))).toBe("");
    expect(renderCodeChangeNotice(codeChangesOf(["a``](javascript:x)``.ts"]))).toContain("> - ```a``](javascript:x)``.ts```");
  });
});

describe("report CLI with model files", () => {
  const dir = tempDir("model-cli");
  writeFileSync(join(dir, "base.json"), modelInputText(defaultConfig));
  writeFileSync(join(dir, "dup.json"), modelInputText(defaultConfig).replace(/^\{/, '{"routes": [],'));

  it.each([
    [["--base-model", "base.json"], /^report: --base-model needs --head-model/, 2],
    [["--head-model", "base.json", "--base", "HEAD", "--base-model", "base.json"], /^report: --base and --base-model are two ways/, 2],
    [["--head-model", "dup.json", "--base-model", "base.json"], /^report: cannot use the model file dup\.json: duplicate key "routes"/, 1],
    [["--head-model", "base.json", "--base-model", "base.json", "--changed-files", "none.txt"], /^report: --changed-files none\.txt: no such file/, 2],
  ])("refuses %j with one line (usage mistakes exit 2, a bad model file 1)", (args, message, status) => {
    const run = entry(dir, ["reports/cli.ts", ...args, "--out", "out"]);
    expect(run.status).toBe(status);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("a config that is more than data (read as text on the trusted side, never run)", () => {
  it("finds nothing in the shipped config", () => {
    expect(configCodeFindings(readFileSync(join(ROOT, "m2m.config.ts"), "utf8"))).toEqual([]);
  });

  it("names imports, runtime names and functions, but not words inside strings or comments", () => {
    const text = [
      'import { defineConfig } from "./model/config-types";',
      'import { writeFileSync } from "node:fs";',
      "// process the clients below",
      "const env = process.env.GITHUB_EVENT_NAME;",
      'process.on("exit", () => writeFileSync("m2m-model.json", "{}"));',
      'export default defineConfig({ api: { name: "a", resourceServerName: "Billing process", scopes: [] } } as any);',
    ].join("\n");
    expect(configCodeFindings(text)).toEqual(["imports node:fs", "uses process", "defines functions or classes"]);
    expect(configCodeFindings('export default { description: "a process, a Date, fetch(x) => y" };')).toEqual([]);
  });

  it("the notice says so, with the findings escaped", () => {
    const notice = renderCodeChangeNotice(codeChangesOf(["m2m.config.ts"]), ["imports **x**`y"]);
    expect(notice).toContain("> **`m2m.config.ts` is more than data** in this PR: it imports \\*\\*x\\*\\*\\`y.");
    expect(renderCodeChangeNotice(codeChangesOf(["docs/a.md"]), ["uses process"])).toBe("");
  });
});

it("a `//` inside a string or template literal cannot hide the code after it", () => {
  expect(configCodeFindings('const u = "https://x"; process.exit(0); export default {};')).toContain("uses process");
  expect(configCodeFindings("const u = `https://${globalThis.x}`; export default {};")).toEqual(expect.arrayContaining(["uses template literals"]));
});
