/**
 * `npm run check:security`: runs the security rule suite on every stack of the config and
 * prints one table per stack. Exits 1 when a rule fails (CI gates on it).
 *
 *   npm run check:security                          synthesize the default config afresh
 *   npm run check:security -- --stacks cdktf.out    check an existing synth output instead
 *   npm run check:security -- --config other.config.ts   (or M2M_CONFIG=...)
 */
import * as path from "node:path";
import { CommandUsageError, InvalidConfigError, reportFailure, warningLine } from "../model/command-voice";
import { configWarnings } from "../model/config-warnings";
import { loadConfigFile } from "../model/load-config";
import { teamFileWarnings } from "../model/team-file-warnings";
import type { M2MModel } from "../model/model-types";
import { ConfigValidationError } from "../model/problems";
import { validateConfig } from "../model/validate";
import { ALL_RULES } from "./all-rules";
import { formatStackTable, formatSummary } from "./rule-table";
import { runRules } from "./run-rules";
import { StackSourceError, readStacks, synthesizeStacks, type NamedStack } from "./stack-sources";

const USAGE = "usage: npm run check:security [-- --stacks DIR] [--config FILE]";


interface Options {
  readonly stacksDir?: string;
  readonly configFile: string;
}

function parseArgs(argv: readonly string[]): Options | "help" {
  let stacksDir: string | undefined;
  let configFile = process.env.M2M_CONFIG || path.join(__dirname, "..", "m2m.config.ts");
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined || next.startsWith("--")) throw new CommandUsageError(`${arg} needs a value; ${USAGE}`);
      return next;
    };
    if (arg === "--help" || arg === "-h") return "help";
    else if (arg === "--stacks") stacksDir = value();
    else if (arg === "--config") configFile = value();
    else throw new CommandUsageError(`unknown argument ${JSON.stringify(arg)}; ${USAGE}`);
  }
  return { configFile, ...(stacksDir === undefined ? {} : { stacksDir }) };
}

function loadModel(shown: string): M2MModel {
  try {
    // By the name every message shows (relative to the working directory), load errors included.
    return validateConfig(loadConfigFile(shown));
  } catch (error) {
    throw error instanceof ConfigValidationError ? new InvalidConfigError(shown, error.problems) : error;
  }
}

function main(argv: readonly string[]): number {
  let stacks: NamedStack[];
  let configLabel = "";
  try {
    const options = parseArgs(argv);
    if (options === "help") {
      console.log(USAGE);
      return 0;
    }
    configLabel = path.relative(process.cwd(), options.configFile) || options.configFile;
    const model = loadModel(configLabel);
    for (const warning of [...configWarnings(model), ...teamFileWarnings(options.configFile, model)]) console.error(warningLine("check:security", warning));
    stacks = options.stacksDir === undefined ? synthesizeStacks(model) : readStacks(model, options.stacksDir);
  } catch (error) {
    return reportFailure("check:security", error, (t) => process.stderr.write(t), { userFacing: (e) => (e instanceof StackSourceError ? { usage: false } : undefined) });
  }

  const reports = stacks.map((stack) => {
    const report = runRules(stack.name, stack, ALL_RULES);
    console.log(formatStackTable(report, stack.metadata));
    console.log("");
    return report;
  });
  const summary = formatSummary(reports);
  const passed = reports.every((r) => r.passed);
  (passed ? console.log : console.error)(summary);
  return passed ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
