/**
 * Issue 15, bypass 3: the access diff reviewers approve was produced by the pull request's own
 * code. An exit hook in the config overwrote access-diff.md with "No access changes" while the
 * config granted `reader` the payments scopes. Since issue 21 no config is ever run: it is read
 * as data (model/config-data-reader.ts), so the hook is refused, not run. The model file
 * (`npm run model:json`) is read strictly and validated again by the trusted side's code; the
 * stacks synthesized from it are the config's, byte for byte.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import severalApisConfig from "../../m2m.config";
import defaultConfig from "../fixtures/single-api.config";
import { tempDir } from "../support/synth";
import { codeChangesOf, renderCodeChangeNotice } from "../../reports/code-change-notice";
import { ModelInputError, modelInputText, readModelInput } from "../../reports/model-input";
import { InvalidConfigError } from "../../model/command-voice";

const ROOT = resolve(__dirname, "..", "..");
const FORGED = "<!-- cognito-m2m-access-diff -->\nNo access changes between `origin/main` and the working tree, in any environment.\n";

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

describe("bypass 3: a config with an exit hook that forges the access diff", () => {
  it.each([
    ["the report", ["reports/cli.ts", "--config", "m2m.config.ts", "--out", "cdktf.out/reports"]],
    ["the model file", ["scripts/model-json.ts", "--config", "m2m.config.ts", "--out", "model.json"]],
    ["synth", ["main.ts"]],
  ])("%s reads it as data: the hook is refused with its place, never run, and nothing is written", (_what, args) => {
    const dir = tempDir("forge");
    hostileConfig(dir);
    const run = entry(dir, args, { M2M_CONFIG: join(dir, "m2m.config.ts"), CDKTF_OUTDIR: join(dir, "cdktf.out") });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/cannot load .*m2m\.config\.ts: is read as data, never run, and 2 constructs are not data/);
    expect(run.stderr).toMatch(/m2m\.config\.ts:1:10: imports mkdirSync from node:fs/);
    expect(run.stderr).toMatch(/m2m\.config\.ts:2:1: a ExpressionStatement statement is code, not data/);
    expect(existsSync(join(dir, "cdktf.out"))).toBe(false);
    expect(existsSync(join(dir, "model.json"))).toBe(false);
  });

  it("the same grant written as data shows in the trusted diff", () => {
    const dir = tempDir("forge-data");
    const config = structuredClone(defaultConfig) as any;
    config.clients.find((c: { name: string }) => c.name === "reader").scopes.push("payments.read", "payments.write");
    writeFileSync(join(dir, "m2m.config.ts"), `export default ${JSON.stringify(config)};\n`);
    const model = entry(dir, ["scripts/model-json.ts", "--config", "m2m.config.ts", "--out", "model.json"]);
    expect([model.status, model.stderr]).toEqual([0, ""]);
    writeFileSync(join(dir, "base-model.json"), modelInputText(defaultConfig));
    const report = entry(dir, ["reports/cli.ts", "--head-model", "model.json", "--base-model", "base-model.json", "--out", "review"]);
    expect([report.status, report.stderr]).toEqual([0, ""]);
    const diff = readFileSync(join(dir, "review", "access-diff.md"), "utf8");
    expect(diff).not.toContain("No access changes");
    expect(diff).toMatch(/Client `reader`.*scope grant \*\*added\*\* `payments\.read`, `payments\.write`/);
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
    const changes = codeChangesOf(["m2m.config.ts", "apis/orders.m2m.ts", "README.md", "docs/threat-model.md", "constructs/cognito.ts", "backends/refunds.ts", ".github/workflows/review.yml", "package-lock.json", ""]);
    expect(changes).toEqual({ config: true, code: [".github/workflows/review.yml", "backends/refunds.ts", "constructs/cognito.ts", "package-lock.json"] });
    const notice = renderCodeChangeNotice(changes, ["@acme/platform"]);
    expect(notice).toContain("**This PR changes code that decides access.**");
    expect(notice).toContain("with the platform owners (`@acme/platform`)");
    expect(notice).toContain("> - `constructs/cognito.ts`");
  });

  it("says nothing when only the config and documentation change, and escapes hostile file names", () => {
    expect(renderCodeChangeNotice(codeChangesOf(["m2m.config.ts", "apis/a.m2m.ts", "docs/a.md"]))).toBe("");
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
