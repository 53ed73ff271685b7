/**
 * `npm run report [-- --base <git ref>] [--out <dir>] [--config <file>]`
 * (the config defaults to $M2M_CONFIG, then m2m.config.ts, as for `npm run synth`)
 * `npm run report -- --head-model <file> --base-model <file> [--changed-files <file>] [--head-sha <sha>] [--out <dir>]`
 *
 * Writes, per environment, cdktf.out/reports/<env>/{access.md, access.html, access.json,
 * openapi.json}; with --base, also cdktf.out/reports/access-diff.md (the change from the config
 * at that ref to the working tree). Mistakes end in one readable line and a non-zero exit.
 *
 * The second form is the pull-request review's (issue 15): both models are data written by
 * `npm run model:json` (the head one by the pull request's isolated job), read strictly and
 * validated by THIS checkout's code; no config is evaluated. --changed-files (one path per
 * line, from GitHub's API) adds the "this PR changes code that decides access" notice, and
 * --head-sha names the commit the review is of (the comment is bound to it). Any diff also
 * lists posture changes (environment kind and protections) for the platform owners.
 */
import { relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { EXIT_FAILURE, InvalidConfigError, reportFailure, warningLine } from "../model/command-voice";
import { configWarnings } from "../model/config-warnings";
import { teamFileWarnings } from "../model/team-file-warnings";
import type { M2MModel } from "../model/model-types";
import { ConfigValidationError } from "../model/problems";
import { validateConfig } from "../model/validate";
import { diffModels } from "./access-diff";
import { renderAccessDiffMarkdown } from "./access-diff-markdown";
import { loadConfigModule } from "./config-loader";
import { BaseConfigError, BaseRefError, ConfigLoadError, firstLine, ReportUsageError } from "./errors";
import { loadModelAtRef } from "./git-base-config";
import { ACCESS_DIFF_FILE, CENTRAL_VIEW_FILE, environmentReportFiles, openApiFileName, writeReportFiles, type ReportFile } from "./report-files";
import { codeChangesOf, renderCodeChangeNotice } from "./code-change-notice";
import { headShaMarker } from "./access-diff-markdown";
import { diffPosture, renderPostureChanges } from "./posture-diff";
import { ModelInputError, readModelInput } from "./model-input";
import { readFileSync } from "node:fs";

interface Options {
  readonly base?: string;
  readonly out: string;
  readonly config: string;
  readonly headModel?: string;
  readonly baseModel?: string;
  readonly changedFiles?: string;
  readonly headSha?: string;
}

function parseOptions(argv: readonly string[]): Options {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        base: { type: "string" },
        out: { type: "string" },
        config: { type: "string" },
        "head-model": { type: "string" },
        "base-model": { type: "string" },
        "changed-files": { type: "string" },
        "head-sha": { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new ReportUsageError(firstLine(error));
  }
  const { base, out, config } = parsed.values;
  const headModel = parsed.values["head-model"];
  const baseModel = parsed.values["base-model"];
  const changedFiles = parsed.values["changed-files"];
  const headSha = parsed.values["head-sha"];
  if (headSha !== undefined && !/^[0-9a-f]{40}$/.test(headSha)) throw new ReportUsageError("--head-sha needs a full commit id (40 hex digits)");
  if (base !== undefined && base.trim() === "") throw new ReportUsageError("--base needs a git ref");
  if (baseModel !== undefined && base !== undefined) throw new ReportUsageError("--base and --base-model are two ways to say the same; give one");
  if (baseModel !== undefined && headModel === undefined) throw new ReportUsageError("--base-model needs --head-model");
  if (headModel !== undefined && config !== undefined) throw new ReportUsageError("--head-model replaces --config; give one");
  return {
    ...(base === undefined ? {} : { base }),
    out: out ?? "cdktf.out/reports",
    config: config ?? process.env.M2M_CONFIG ?? "m2m.config.ts",
    ...(headModel === undefined ? {} : { headModel }),
    ...(baseModel === undefined ? {} : { baseModel }),
    ...(changedFiles === undefined ? {} : { changedFiles }),
    ...(headSha === undefined ? {} : { headSha }),
  };
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
  const head =
    options.headModel === undefined
      ? validateHead(loadConfigModule(configFile, shown(configFile)), shown(configFile))
      : readModelInput(resolve(options.headModel), shown(resolve(options.headModel)));
  // Team files are looked for next to a config file, not a model file (--head-model).
  const teamFiles = options.headModel === undefined ? teamFileWarnings(configFile, head) : [];
  for (const warning of [...configWarnings(head), ...teamFiles]) write(`${warningLine("report", warning)}\n`);

  const files: ReportFile[] = environmentReportFiles(head);
  let diffSummary: string | undefined;
  const baseLabel = options.baseModel !== undefined ? "the base branch" : options.base;
  if (baseLabel !== undefined) {
    // Loaded before anything is written: a bad base leaves the previous output alone.
    const base = options.baseModel !== undefined ? readModelInput(resolve(options.baseModel), shown(resolve(options.baseModel))) : loadModelAtRef(baseLabel, configFile);
    const diff = diffModels(base, head);
    const markdown = renderAccessDiffMarkdown(diff, { base: baseLabel, head: options.headModel !== undefined ? "the pull request" : "the working tree" });
    const posture = diffPosture(base, head);
    files.push({ path: ACCESS_DIFF_FILE, content: withNotices(markdown, options, renderPostureChanges(posture, base.owners), base.owners) });
    const changed = diff.environments.filter((e) => e.status !== "unchanged").map((e) => e.environment);
    diffSummary = changed.length === 0 ? "no access changes" : `access changes in ${changed.join(", ")}`;
    if (posture.length > 0) diffSummary += `; ${posture.length} security-relevant posture change${posture.length === 1 ? "" : "s"} in ${[...new Set(posture.map((p) => p.environment))].join(", ")}`;
  }

  writeReportFiles(outDir, files);
  const environments = head.environments.map((e) => e.name).join(", ");
  const written =
    head.layout === "multi-api"
      ? `${shown(outDir)}/<env>/{access.md,access.json,${head.apis.map((a) => openApiFileName(a.name)).join(",")}} and ${shown(outDir)}/${CENTRAL_VIEW_FILE}`
      : `${shown(outDir)}/<env>/{access.md,access.html,access.json,openapi.json}`;
  process.stdout.write(`report: ${environments} -> ${written}\n`);
  if (diffSummary !== undefined) process.stdout.write(`report: ${diffSummary} since ${baseLabel} -> ${shown(resolve(outDir, ACCESS_DIFF_FILE))}\n`);
}

/**
 * The notices go right after the marker line, which must stay first (the comment job finds its
 * comment by it): the commit the review is of, the posture changes, the code-change notice.
 */
function withNotices(markdown: string, options: Options, posture: string, owners: readonly string[]): string {
  const notices: string[] = [];
  if (options.headSha !== undefined) notices.push(`${headShaMarker(options.headSha)}\n_Review of commit \`${options.headSha}\`: a later push marks this comment stale until its own review replaces it._\n`);
  if (posture !== "") notices.push(posture);
  if (options.changedFiles !== undefined) {
    let list: string;
    try {
      list = readFileSync(resolve(options.changedFiles), "utf8");
    } catch {
      throw new ReportUsageError(`--changed-files ${options.changedFiles}: no such file`);
    }
    const notice = renderCodeChangeNotice(codeChangesOf(list.split("\n")), owners);
    if (notice !== "") notices.push(notice);
  }
  if (notices.length === 0) return markdown;
  const [marker, ...rest] = markdown.split("\n");
  return [marker, ...notices, ...rest].join("\n");
}

try {
  run(process.argv.slice(2));
} catch (error) {
  if (error instanceof BaseConfigError) {
    // The base config's problems, worded as for the working tree's.
    write(`report: ${error.message}\n${error.problemLines().map((l) => `  ${l}\n`).join("")}`);
    process.exit(EXIT_FAILURE);
  }
  if (error instanceof ConfigLoadError) {
    // Every construct that keeps the config from being data, one line each.
    write(`report: ${error.message}\n`);
    process.exit(EXIT_FAILURE);
  }
  process.exit(
    reportFailure("report", error, write, {
      userFacing: (e) => (e instanceof ReportUsageError ? { usage: true } : e instanceof ConfigLoadError || e instanceof BaseRefError || e instanceof ModelInputError ? { usage: false } : undefined),
    }),
  );
}
