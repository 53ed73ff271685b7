/**
 * `npm run report [-- --base <git ref>] [--out <dir>] [--config <file>]`
 * (the config defaults to $M2M_CONFIG, then m2m.config.ts, as for `npm run synth`)
 *
 * Writes, per environment, cdktf.out/reports/<env>/{access.md, access.html, access.json,
 * openapi.json}; with --base, also cdktf.out/reports/access-diff.md (the change from the config
 * at that ref to the working tree). Mistakes end in one readable line and a non-zero exit.
 */
import { relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { EXIT_FAILURE, InvalidConfigError, reportFailure, warningLine } from "../model/command-voice";
import { configWarnings } from "../model/config-warnings";
import type { M2MModel } from "../model/model-types";
import { ConfigValidationError } from "../model/problems";
import { validateConfig } from "../model/validate";
import { diffModels } from "./access-diff";
import { renderAccessDiffMarkdown } from "./access-diff-markdown";
import { loadConfigModule } from "./config-loader";
import { BaseConfigError, BaseRefError, ConfigLoadError, firstLine, ReportUsageError } from "./errors";
import { loadModelAtRef } from "./git-base-config";
import { ACCESS_DIFF_FILE, environmentReportFiles, writeReportFiles, type ReportFile } from "./report-files";

interface Options {
  readonly base?: string;
  readonly out: string;
  readonly config: string;
}

function parseOptions(argv: readonly string[]): Options {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { base: { type: "string" }, out: { type: "string" }, config: { type: "string" } },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new ReportUsageError(firstLine(error));
  }
  const { base, out, config } = parsed.values;
  if (base !== undefined && base.trim() === "") throw new ReportUsageError("--base needs a git ref");
  return { ...(base === undefined ? {} : { base }), out: out ?? "cdktf.out/reports", config: config ?? process.env.M2M_CONFIG ?? "m2m.config.ts" };
}

/** Paths in messages are relative to where the command was run: readable, and no machine-specific prefixes. */
function shown(path: string): string {
  return relative(process.cwd(), path) || ".";
}

function validateHead(raw: unknown, file: string): M2MModel {
  try {
    return validateConfig(raw);
  } catch (error) {
    if (error instanceof ConfigValidationError) throw new InvalidConfigError(file, error.problems);
    throw error;
  }
}

const write = (text: string) => process.stderr.write(text);

function run(argv: readonly string[]): void {
  const options = parseOptions(argv);
  const configFile = resolve(options.config);
  const outDir = resolve(options.out);
  const head = validateHead(loadConfigModule(configFile, shown(configFile)), shown(configFile));
  for (const warning of configWarnings(head)) write(`${warningLine("report", warning)}\n`);

  const files: ReportFile[] = environmentReportFiles(head);
  let diffSummary: string | undefined;
  if (options.base !== undefined) {
    // Loaded before anything is written: a bad base leaves the previous output alone.
    const base = loadModelAtRef(options.base, configFile);
    const diff = diffModels(base, head);
    files.push({ path: ACCESS_DIFF_FILE, content: renderAccessDiffMarkdown(diff, { base: options.base, head: "the working tree" }) });
    const changed = diff.environments.filter((e) => e.status !== "unchanged").map((e) => e.environment);
    diffSummary = changed.length === 0 ? "no access changes" : `access changes in ${changed.join(", ")}`;
  }

  writeReportFiles(outDir, files);
  const environments = head.environments.map((e) => e.name).join(", ");
  process.stdout.write(`report: ${environments} -> ${shown(outDir)}/<env>/{access.md,access.html,access.json,openapi.json}\n`);
  if (diffSummary !== undefined) process.stdout.write(`report: ${diffSummary} since ${options.base} -> ${shown(resolve(outDir, ACCESS_DIFF_FILE))}\n`);
}

try {
  run(process.argv.slice(2));
} catch (error) {
  if (error instanceof BaseConfigError) {
    // The base config's problems, worded as for the working tree's.
    write(`report: ${error.message}\n${error.problemLines().map((l) => `  ${l}\n`).join("")}`);
    process.exit(EXIT_FAILURE);
  }
  process.exit(
    reportFailure("report", error, write, {
      userFacing: (e) => (e instanceof ReportUsageError ? { usage: true } : e instanceof ConfigLoadError || e instanceof BaseRefError ? { usage: false } : undefined),
    }),
  );
}
