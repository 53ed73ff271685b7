/** `npm run synth` as a user runs it: a bad config exits non-zero, says why, and writes nothing. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import defaultConfig from "../../m2m.config";
import { synthConfig, tempDir } from "../support/synth";

const root = path.resolve(__dirname, "../..");

/** As `npm run synth` runs it: main.ts compiled ahead (bin/run.js), the config through tsx. */
function synth(env: Record<string, string>) {
  return spawnSync(process.execPath, ["bin/run.js", "main.ts"], { cwd: root, env: { ...process.env, ...env }, encoding: "utf8" });
}

test("a bad config: exit 1, one line per problem, no stack trace, nothing written", () => {
  const dir = tempDir("bad-config");
  const configFile = path.join(dir, "bad.config.ts");
  fs.writeFileSync(
    configFile,
    `export default ${JSON.stringify({
      api: { name: "demo", resourceServerName: "Demo", scopes: [{ name: "read", description: "Read" }] },
      routes: [{ method: "GET", path: "/items", scopes: ["write"] }],
      clients: [{ name: "reader", scopes: ["read"], accessTokenValidity: { value: 2, unit: "days" } }],
      environments: [{ name: "dev", region: "eu-west-1", domainPrefix: "aws-demo", stageName: "dev" }],
    })};\n`,
  );
  const outdir = path.join(dir, "cdktf.out");
  const result = synth({ M2M_CONFIG: configFile, CDKTF_OUTDIR: outdir });
  expect(result.status).toBe(1);
  expect(result.stdout).toBe("");
  const lines = result.stderr.trim().split("\n");
  expect(lines[0]).toMatch(/^synth: .*bad\.config\.ts is invalid \(3 problems\); nothing was done$/);
  expect(lines.slice(1)).toEqual([
    '  routes[0].scopes[0]: must name a scope defined in api.scopes (read) (got "write")',
    '  environments[0].domainPrefix: must not contain "aws", "amazon" or "cognito" (reserved by Cognito) (got "aws-demo")',
    '  clients[0].accessTokenValidity: must be from 5 minutes to 1 day (Cognito access-token validity) (got {"value":2,"days":undefined,"unit":"days"})'.replace(',"days":undefined', ""),
  ]);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(fs.existsSync(outdir)).toBe(false);
});

test("a config file that does not load: exit 1 with one line", () => {
  const result = synth({ M2M_CONFIG: "/nonexistent/m2m.config.ts", CDKTF_OUTDIR: path.join(tempDir("missing"), "out") });
  expect(result.status).toBe(1);
  expect(result.stderr.trim().split("\n")).toHaveLength(1);
  // Named as every other message names the config: relative to the working directory.
  expect(result.stderr).toBe(`synth: cannot load ${path.relative(root, "/nonexistent/m2m.config.ts")}: no such file\n`);
});

test("the default config synthesizes every environment, removes stale stacks and assets, keeps terraform's files", () => {
  const outdir = path.join(tempDir("good"), "cdktf.out");
  fs.mkdirSync(path.join(outdir, "stacks", "retired-env"), { recursive: true });
  fs.mkdirSync(path.join(outdir, "stacks", "dev", "assets", "old-bundle"), { recursive: true });
  fs.mkdirSync(path.join(outdir, "stacks", "dev", ".terraform"), { recursive: true });
  fs.writeFileSync(path.join(outdir, "stacks", "dev", ".terraform.lock.hcl"), "# lock\n");
  const result = synth({ CDKTF_OUTDIR: outdir });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/^synthesized dev, prod -> .*stacks\/ in \d+ ms\n$/);
  expect(fs.readdirSync(path.join(outdir, "stacks")).sort()).toEqual(["dev", "prod"]);
  expect(fs.readdirSync(path.join(outdir, "stacks", "dev", "assets"))).not.toContain("old-bundle");
  expect(fs.existsSync(path.join(outdir, "stacks", "dev", ".terraform"))).toBe(true);
  expect(fs.readFileSync(path.join(outdir, "stacks", "dev", ".terraform.lock.hcl"), "utf8")).toBe("# lock\n");
  expect(JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "dev", "cdk.tf.json"), "utf8")).resource.aws_cognito_user_pool).toBeDefined();
});

test("a config file that does not parse: exit 1, one line, and the place of the syntax error", () => {
  const dir = tempDir("broken-config");
  const configFile = path.join(dir, "broken.config.ts");
  fs.writeFileSync(configFile, "export default {\n  api: ,\n};\n");
  const result = synth({ M2M_CONFIG: configFile, CDKTF_OUTDIR: path.join(dir, "out") });
  expect(result.status).toBe(1);
  expect(result.stderr.trim().split("\n")).toEqual([`synth: cannot load ${path.relative(root, configFile)}: is read as data, never run, and 1 construct is not data (write the values out, or generate this file: docs/configure.md, "Computed configs")`, `  ${path.relative(root, configFile)}:2:8: syntax error: Expression expected.`]);
});

test("the compiled entry (bundle, code cache, its cdktf load-time trims) writes byte for byte what synthesis in-process writes", () => {
  const outdir = path.join(tempDir("compiled-vs-in-process"), "cdktf.out");
  const result = synth({ CDKTF_OUTDIR: outdir });
  expect(result.status).toBe(0);
  const inProcess = synthConfig(defaultConfig);
  for (const [name, stack] of Object.entries(inProcess)) {
    expect(fs.readFileSync(path.join(outdir, "stacks", name, "cdk.tf.json"), "utf8")).toBe(stack.text);
  }
});
