/**
 * `npm run check:security`: runs the security rule suite on every stack of the config and
 * prints one table per stack. Exits 1 when a rule fails (CI gates on it).
 *
 *   npm run check:security                          synthesize the default config afresh
 *   npm run check:security -- --stacks cdktf.out    check an existing synth output instead
 *   npm run check:security -- --config other.config.ts   (or M2M_CONFIG=...)
 */
import * as path from "node:path";
import { ConfigLoadError, loadConfigFile } from "../model/load-config";
import type { M2MModel } from "../model/model-types";
import { ConfigValidationError, formatProblem } from "../model/problems";
import { validateConfig } from "../model/validate";
import { ALL_RULES } from "./all-rules";
import { formatStackTable, formatSummary } from "./rule-table";
import { runRules } from "./run-rules";
import { StackSourceError, readStacks, synthesizeStacks, type NamedStack } from "./stack-sources";

const USAGE = "usage: npm run check:security [-- --stacks DIR] [--config FILE]";

/** A mistake in the command line: one line, exit 2. */
class UsageError extends Error {}

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
      if (next === undefined || next.startsWith("--")) throw new UsageError(`${arg} needs a value; ${USAGE}`);
      return next;
    };
    if (arg === "--help" || arg === "-h") return "help";
    else if (arg === "--stacks") stacksDir = value();
    else if (arg === "--config") configFile = value();
    else throw new UsageError(`unknown argument ${JSON.stringify(arg)}; ${USAGE}`);
  }
  return { configFile, ...(stacksDir === undefined ? {} : { stacksDir }) };
}

function loadModel(configFile: string): M2MModel {
  let input: unknown;
  try {
    input = loadConfigFile(configFile);
  } catch (error) {
    throw error instanceof ConfigLoadError ? new StackSourceError(error.message) : error;
  }
  return validateConfig(input);
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
    const model = loadModel(options.configFile);
    stacks = options.stacksDir === undefined ? synthesizeStacks(model) : readStacks(model, options.stacksDir);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      for (const problem of error.problems) console.error(`${configLabel}: ${formatProblem(problem)}`);
      return 1;
    }
    if (error instanceof UsageError) {
      console.error(error.message);
      return 2;
    }
    const message = (error as Error).message?.split("\n")[0] ?? String(error);
    console.error(error instanceof StackSourceError ? message : `synthesis failed: ${message}`);
    return 1;
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
