/**
 * The cdktf app: load the config, validate it (every problem at once, before any construct
 * or file exists), then synthesize one stack per environment into cdktf.out/stacks/<env>/.
 *
 *   npm run synth                      default config (m2m.config.ts)
 *   M2M_CONFIG=path/to.config.ts ...   another config file
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { loadConfigFile } from "./model/load-config";
import { ConfigValidationError, formatProblem } from "./model/problems";
import { validateConfig } from "./model/validate";

function main(): number {
  const configFile = process.env.M2M_CONFIG ?? path.join(__dirname, "m2m.config.ts");
  let model;
  try {
    model = validateConfig(loadConfigFile(configFile));
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      console.error(`${path.relative(process.cwd(), configFile) || configFile}: ${error.problems.length} problem(s); nothing was synthesized`);
      for (const problem of error.problems) console.error(`  ${formatProblem(problem)}`);
      return 1;
    }
    console.error(`cannot load ${configFile}: ${(error as Error).message.split("\n")[0]}`);
    return 1;
  }

  // Loaded only for a valid config: a bad one fails fast, and writes nothing.
  const { synthesizeApp } = require("./constructs/m2m-app") as typeof import("./constructs/m2m-app");
  const outdir = process.env.CDKTF_OUTDIR ?? path.join(process.cwd(), "cdktf.out");
  // Stacks of environments that no longer exist must not linger beside the new ones.
  fs.rmSync(path.join(outdir, "stacks"), { recursive: true, force: true });
  const started = process.hrtime.bigint();
  synthesizeApp(model, { outdir });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const stacks = model.environments.map((e) => e.name).join(", ");
  console.log(`synthesized ${stacks} -> ${path.relative(process.cwd(), path.join(outdir, "stacks")) || outdir}/ in ${ms.toFixed(0)} ms`);
  return 0;
}

process.exitCode = main();
