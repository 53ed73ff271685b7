/**
 * `npm run model:json [-- --out FILE] [--config FILE]`: reads the config as data (default
 * $M2M_CONFIG, then m2m.config.ts; never run), validates it, and writes its plain data as JSON
 * (default cdktf.out/model/model.json). The review runs it with the base branch's code on the
 * pull request's config files; deploys synthesize from the same kind of file
 * (`M2M_CONFIG=<file> npm run synth`).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ConfigLoadError, loadConfigFile } from "../model/load-config";
import { ConfigValidationError, formatProblem } from "../model/problems";
import { validateConfig } from "../model/validate";
import { ModelInputError, modelInputText } from "../reports/model-input";

function main(): number {
  let values;
  try {
    ({ values } = parseArgs({ options: { out: { type: "string" }, config: { type: "string" } }, strict: true, allowPositionals: false }));
  } catch (error) {
    console.error(`model:json: ${(error as Error).message} (usage: npm run model:json [-- --out FILE] [--config FILE])`);
    return 2;
  }
  const configFile = values.config ?? process.env.M2M_CONFIG ?? "m2m.config.ts";
  const out = resolve(values.out ?? "cdktf.out/model/model.json");
  try {
    const config = loadConfigFile(configFile);
    const text = modelInputText(config, validateConfig(config));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text, "utf8");
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      console.error(`model:json: ${configFile} is invalid (${error.problems.length} problem(s)):`);
      for (const p of error.problems) console.error(`  ${formatProblem(p)}`);
      return 1;
    }
    if (error instanceof ConfigLoadError || error instanceof ModelInputError) {
      console.error(`model:json: ${error.message}`);
      if (error instanceof ConfigLoadError) for (const d of error.details) console.error(`  ${d}`);
      return 1;
    }
    throw error;
  }
  console.log(`model:json: ${configFile} -> ${relative(process.cwd(), out) || out}`);
  return 0;
}

process.exitCode = main();
