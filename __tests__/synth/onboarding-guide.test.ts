/**
 * README "Onboarding a team's API", step 1 as written, on a copy of the default config: with
 * `apiFiles: "apis"` added as the guide says, the new team file's API is in the synthesized stack;
 * without it, synth still succeeds but says the file is not loaded and how to fix it.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import defaultConfig from "../../m2m.config";
import { tempDir } from "../support/synth";

const root = path.resolve(__dirname, "../..");

const inventory = {
  name: "inventory",
  resourceServerName: "Inventory API",
  owners: ["@acme/inventory-team"],
  scopes: [{ name: "read", description: "Read stock levels" }],
  routes: [{ method: "GET", path: "/stock", scopes: ["read"], response: { status: 200, body: { items: [] } } }],
  clients: [{ name: "stock-reader", description: "Reads stock", scopes: ["read"] }],
};

/** A project directory: the default config (with `extra` fields) and apis/<file>; synthesized as `npm run synth` does. */
function synthProject(extra: Record<string, unknown>, teamFile: string) {
  const dir = tempDir("onboarding");
  fs.writeFileSync(path.join(dir, "m2m.config.ts"), `export default ${JSON.stringify({ ...defaultConfig, ...extra })};\n`);
  fs.mkdirSync(path.join(dir, "apis"));
  fs.writeFileSync(path.join(dir, "apis", teamFile), `export default ${JSON.stringify(inventory)};\n`);
  const outdir = path.join(dir, "cdktf.out");
  const run = spawnSync(process.execPath, ["bin/run.js", "main.ts"], { cwd: root, env: { ...process.env, M2M_CONFIG: path.join(dir, "m2m.config.ts"), CDKTF_OUTDIR: outdir }, encoding: "utf8" });
  const stack = run.status === 0 ? fs.readFileSync(path.join(outdir, "stacks", "dev", "cdk.tf.json"), "utf8") : "";
  return { ...run, stack };
}

test("with apiFiles: \"apis\" added as the guide says, the team's API is synthesized", () => {
  const run = synthProject({ apiFiles: "apis" }, "inventory.m2m.ts");
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  expect(run.stack).toContain('"inventory_rest_api"');
});

test("the step skipped: exit 0, the API absent, and a warning that says how to load it", () => {
  const run = synthProject({}, "inventory.m2m.ts");
  expect(run.status).toBe(0);
  expect(run.stack).not.toContain("inventory");
  expect(run.stderr).toBe('synth: warning: apis/: holds team files that are not loaded: m2m.config.ts does not name the folder (add apiFiles: "apis" to m2m.config.ts) (got ["inventory.m2m.ts"])\n');
});

test("a team file without .m2m in its name: a warning naming the file and its right name", () => {
  const run = synthProject({ apiFiles: "apis" }, "inventory.ts");
  expect(run.status).toBe(0);
  expect(run.stderr).toBe('synth: warning: apis/inventory.ts: is not loaded: only files named <name>.m2m.ts are team files (rename it to apis/inventory.m2m.ts, with apiFiles: "apis" in m2m.config.ts) (got "inventory.ts")\n');
});
