/**
 * The cdktf app: load the config, validate it (every problem at once, before any construct
 * or file exists), then synthesize one stack per environment into cdktf.out/stacks/<env>/.
 *
 *   npm run synth                      default config (m2m.config.ts)
 *   M2M_CONFIG=path/to.config.ts ...   another config file
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { reportFailure, warningLine } from "./model/command-voice";
import { configWarnings } from "./model/config-warnings";
import { loadConfigFile } from "./model/load-config";
import { teamFileWarnings } from "./model/team-file-warnings";
import { validateConfig } from "./model/validate";

/**
 * Before synth: stacks of environments that no longer exist go, and so do the assets of the
 * others (old bundle hashes). Whatever terraform keeps in a stack directory (.terraform/, the
 * lock file, plans) stays; state never lives there (validation keeps local state outside cdktf.out).
 */
function removeStaleOutput(stacksDir: string, environments: ReadonlySet<string>): void {
  if (!fs.existsSync(stacksDir)) return;
  for (const entry of fs.readdirSync(stacksDir)) {
    const target = environments.has(entry) ? path.join(stacksDir, entry, "assets") : path.join(stacksDir, entry);
    fs.rmSync(target, { recursive: true, force: true });
  }
}

function main(): number {
  const configFile = process.env.M2M_CONFIG ?? path.join(__dirname, "m2m.config.ts");
  const shown = path.relative(process.cwd(), configFile) || configFile;
  let model;
  try {
    // Loaded by the name the user reads in every message, load errors included (relative to here).
    model = validateConfig(loadConfigFile(shown));
  } catch (error) {
    return reportFailure("synth", error, (t) => process.stderr.write(t), { configFile: shown });
  }
  for (const warning of [...configWarnings(model), ...teamFileWarnings(configFile, model)]) console.error(warningLine("synth", warning));

  // Loaded only for a valid config: a bad one fails fast, and writes nothing.
  const { synthesizeApp } = require("./constructs/m2m-app") as typeof import("./constructs/m2m-app");
  const outdir = process.env.CDKTF_OUTDIR ?? path.join(process.cwd(), "cdktf.out");
  removeStaleOutput(path.join(outdir, "stacks"), new Set(model.environments.map((e) => e.name)));
  const started = process.hrtime.bigint();
  try {
    synthesizeApp(model, { outdir });
  } catch (error) {
    return reportFailure("synth", error, (t) => process.stderr.write(t));
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const stacks = model.environments.map((e) => e.name).join(", ");
  console.log(`synthesized ${stacks} -> ${path.relative(process.cwd(), path.join(outdir, "stacks")) || outdir}/ in ${ms.toFixed(0)} ms`);
  return 0;
}

process.exitCode = main();
