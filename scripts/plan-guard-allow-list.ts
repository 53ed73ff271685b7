/**
 * `npm run plan-guard:allow-list`: derives the plan guard's allow-list
 * (.github/plan-guard/allow-list.json) from what the project synthesizes: the stacks of the
 * default config (several APIs), of the all-options fixture (every optional feature on), of the
 * per-team example (team files), of the one-API form, and of the one-API form switched to the
 * several-API form (`moved` blocks). The guard then
 * allows exactly those block types, providers, resource and data source types, arguments and
 * functions, nothing more. Run it after a change to constructs/ that adds any of them, and
 * review the diff of allow-list.json like code: it widens what a pull request's Terraform may do.
 *
 *   npm run plan-guard:allow-list            writes the file
 *   npm run plan-guard:allow-list -- --check exits 1 when the file is not what the stacks use
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { synthesizeApp } from "../constructs/m2m-app";
import defaultConfig from "../m2m.config";
import allOptionsConfig from "../__tests__/security/fixtures/all-options.config";
import singleApiConfig from "../__tests__/fixtures/single-api.config";
import movedConfig from "../__tests__/terraform/fixtures/moved-from-single-api.config";
import type { M2MConfigInput } from "../model/config-types";
import { loadConfigFile } from "../model/load-config";
import { validateConfig } from "../model/validate";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const guard = require("../.github/plan-guard/check-plan-input.js") as {
  deriveAllowList(docs: readonly unknown[]): unknown;
  ALLOW_LIST_FILE: string;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseStrictJson } = require("../.github/plan-guard/strict-json.js") as { parseStrictJson(text: string): unknown };

/** The configs whose stacks define what the guard allows. */
export const ALLOW_LIST_CONFIGS: Readonly<Record<string, M2MConfigInput>> = {
  default: defaultConfig,
  "all-options": allOptionsConfig,
  "per-team": loadConfigFile(resolve(__dirname, "..", "examples", "per-team", "m2m.config.ts")) as M2MConfigInput,
  "partner-edge": loadConfigFile(resolve(__dirname, "..", "examples", "partner-edge", "m2m.config.ts")) as M2MConfigInput,
  "single-api": singleApiConfig,
  "moved-from-single-api": movedConfig,
};

/** Every synthesized stack of those configs, read strictly, by `<config>/<environment>`. */
export function projectStacks(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [label, config] of Object.entries(ALLOW_LIST_CONFIGS)) {
    const model = validateConfig(config);
    const dir = mkdtempSync(join(tmpdir(), "m2m-allow-list-"));
    try {
      synthesizeApp(model, { outdir: dir });
      for (const env of model.environments) out[`${label}/${env.name}`] = parseStrictJson(readFileSync(join(dir, "stacks", env.name, "cdk.tf.json"), "utf8"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return out;
}

export function allowListText(stacks: Record<string, unknown> = projectStacks()): string {
  return `${JSON.stringify(guard.deriveAllowList(Object.values(stacks)), null, 2)}\n`;
}

if (require.main === module) {
  const text = allowListText();
  const file = resolve(guard.ALLOW_LIST_FILE);
  if (process.argv.includes("--check")) {
    const same = readFileSync(file, "utf8") === text;
    console[same ? "log" : "error"](same ? `plan guard allow-list: up to date` : `plan guard allow-list: ${file} is not what the stacks use; run npm run plan-guard:allow-list`);
    process.exitCode = same ? 0 : 1;
  } else {
    writeFileSync(file, text);
    console.log(`plan guard allow-list: wrote ${file}`);
  }
}
