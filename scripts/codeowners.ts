/**
 * `npm run codeowners [-- --config FILE] [--check]`: writes the config's owners section into
 * .github/CODEOWNERS (default config: $M2M_CONFIG, then m2m.config.ts; run from the repository
 * root), replacing the section it wrote before and keeping every other line. With --check it
 * writes nothing and exits 1 when the committed section differs, naming the command to run.
 * What the section holds, and why: reports/codeowners.ts.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import { parseArgs } from "node:util";
import { ConfigLoadError, loadConfigFile } from "../model/load-config";
import { ConfigValidationError, formatProblem } from "../model/problems";
import { validateConfig } from "../model/validate";
import { CODEOWNERS_FILE, codeownersCommand, codeownersSection, currentCodeownersSection, withCodeownersSection } from "../reports/codeowners";

function main(): number {
  let values;
  try {
    ({ values } = parseArgs({ options: { config: { type: "string" }, check: { type: "boolean" } }, strict: true, allowPositionals: false }));
  } catch (error) {
    console.error(`codeowners: ${(error as Error).message} (usage: npm run codeowners [-- --config FILE] [--check])`);
    return 2;
  }
  const configArg = values.config ?? process.env.M2M_CONFIG ?? "m2m.config.ts";
  // The section names the config as the repository does: relative to the root, `/`-separated.
  const configFile = relative(process.cwd(), resolve(configArg)).split(sep).join("/");
  if (configFile.startsWith("../")) {
    console.error(`codeowners: ${configArg} is outside the repository (run from its root)`);
    return 2;
  }
  let model;
  try {
    model = validateConfig(loadConfigFile(configFile));
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      console.error(`codeowners: ${configFile} is invalid (${error.problems.length} problem(s)):`);
      for (const p of error.problems) console.error(`  ${formatProblem(p)}`);
      return 1;
    }
    if (error instanceof ConfigLoadError) {
      console.error(`codeowners: ${error.message}`);
      return 1;
    }
    throw error;
  }
  const current = existsSync(CODEOWNERS_FILE) ? readFileSync(CODEOWNERS_FILE, "utf8") : "";
  if (values.check) {
    const expected = codeownersSection(model, configFile).join("\n");
    if (currentCodeownersSection(current, configFile)?.join("\n") === expected) {
      console.log(`codeowners: ${CODEOWNERS_FILE} is in sync with ${configFile}`);
      return 0;
    }
    console.error(`codeowners: ${CODEOWNERS_FILE} is out of date for ${configFile}: run ${codeownersCommand(configFile)}`);
    return 1;
  }
  const next = withCodeownersSection(current, model, configFile);
  mkdirSync(dirname(CODEOWNERS_FILE), { recursive: true });
  writeFileSync(CODEOWNERS_FILE, next, "utf8");
  console.log(`codeowners: ${configFile} -> ${CODEOWNERS_FILE}${next === current ? " (unchanged)" : ""}`);
  return 0;
}

process.exitCode = main();
