/**
 * The report CLI's user-facing failures, each with one fixed message form. The CLI prints the
 * message as one line (plus config problems, when there are some) and exits non-zero.
 */
import { formatProblem, type ConfigProblem } from "../model/problems";

/** Wrong command-line arguments. */
export class ReportUsageError extends Error {
  constructor(detail: string) {
    super(`${detail} (usage: npm run report [-- --base <git ref>] [--out <dir>] [--config <file>])`);
    this.name = "ReportUsageError";
  }
}

/** The config file could not be read (missing, not data, no default export); `details`: one line per construct refused. */
export class ConfigLoadError extends Error {
  constructor(readonly file: string, readonly reason: string, readonly details: readonly string[] = []) {
    super([`cannot load ${file}: ${reason}`, ...details.map((d) => `  ${d}`)].join("\n"));
    this.name = "ConfigLoadError";
  }
}

/** The base ref does not name a commit, or the config cannot be read from it. */
export class BaseRefError extends Error {
  constructor(readonly ref: string, readonly reason: string) {
    super(`cannot read the base config at git ref "${ref}": ${reason}`);
    this.name = "BaseRefError";
  }
}

/** The config at the base ref exists but does not load, or fails today's validation. */
export class BaseConfigError extends Error {
  readonly problems: readonly ConfigProblem[];
  constructor(readonly ref: string, reason: string, problems: readonly ConfigProblem[] = []) {
    super(`the config at git ref "${ref}" ${reason}`);
    this.name = "BaseConfigError";
    this.problems = problems;
  }

  /** The problems as the lines `npm run synth` prints for an invalid config. */
  problemLines(): string[] {
    return this.problems.map(formatProblem);
  }
}

/** The first line of an error's message: stack traces and multi-line compiler output stay out of the CLI's answer. */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n").find((l) => l.trim() !== "")?.trim() ?? "unknown error";
}
