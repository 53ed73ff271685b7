/**
 * One voice for every command (synth, report, check:security, preflight and every `m2m`
 * command): how a failure is worded and which exit status it gets. README "## Exit statuses
 * and errors" documents the policy:
 *
 *   0  success
 *   1  the command ran and the answer is no: an invalid or unloadable config, a failed check,
 *      a refused request, an unreachable endpoint, a missing file the command needed
 *   2  the command line itself is wrong: unknown command or option, a missing or malformed flag
 *
 * Every failure is one line `<command>: <what is wrong>[: <what to do>]` on stderr; an invalid
 * config adds one indented line per problem (all of them at once). Never a stack trace, unless
 * M2M_DEBUG is set and the error is a bug, not a user mistake.
 */
import { ConfigLoadError } from "./load-config";
import { ConfigValidationError, formatProblem, type ConfigProblem } from "./problems";

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export type ExitStatus = typeof EXIT_OK | typeof EXIT_FAILURE | typeof EXIT_USAGE;

/** A mistake in the command line (exit 2). Its message is the whole line after `<command>: `. */
export class CommandUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A user-facing failure that is not a usage mistake (exit 1): its message is the whole line. */
export class CommandFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The config failed validation: the file as the user named it, and every problem. */
export class InvalidConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(`${file} is invalid (${problems.length} problem${problems.length === 1 ? "" : "s"}); nothing was done`);
    this.name = "InvalidConfigError";
  }
}

/** The lines an invalid config prints, without the command prefix: the headline, then one per problem. */
export function invalidConfigLines(file: string, problems: readonly ConfigProblem[]): string[] {
  return [new InvalidConfigError(file, problems).message, ...problems.map((p) => `  ${formatProblem(p)}`)];
}

/** A warning: printed, not fatal. `<command>: warning: <path>: <rule> (got <value>)`. */
export function warningLine(command: string, problem: ConfigProblem): string {
  return `${command}: warning: ${formatProblem(problem)}`;
}

export interface FailureContext {
  /** The config file as shown to the user, for a `ConfigValidationError` thrown by `validateConfig`. */
  readonly configFile?: string;
  /** More error classes whose message is a complete user-facing line (exit 1, or 2 when `usage` says so). */
  readonly userFacing?: (error: unknown) => { readonly usage: boolean } | undefined;
}

export interface WordedFailure {
  readonly status: ExitStatus;
  /** Without the command prefix; the first line is the one that says what is wrong. */
  readonly lines: readonly string[];
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n").find((l) => l.trim() !== "")?.trim() ?? "unknown error";
}

/** Words a thrown error as the policy says: which lines, which exit status. */
export function wordFailure(error: unknown, context: FailureContext = {}): WordedFailure {
  if (error instanceof InvalidConfigError) return { status: EXIT_FAILURE, lines: invalidConfigLines(error.file, error.problems) };
  if (error instanceof ConfigValidationError) return { status: EXIT_FAILURE, lines: invalidConfigLines(context.configFile ?? "the config", error.problems) };
  if (error instanceof ConfigLoadError) return { status: EXIT_FAILURE, lines: [error.message, ...error.details.map((d) => `  ${d}`)] };
  if (error instanceof CommandUsageError) return { status: EXIT_USAGE, lines: [firstLine(error)] };
  if (error instanceof CommandFailure) return { status: EXIT_FAILURE, lines: [firstLine(error)] };
  const known = context.userFacing?.(error);
  if (known !== undefined) return { status: known.usage ? EXIT_USAGE : EXIT_FAILURE, lines: [firstLine(error)] };
  // A bug, not a user mistake: still one line, with the stack on request.
  const name = error instanceof Error ? error.name : "error";
  const stack = process.env.M2M_DEBUG && error instanceof Error && error.stack ? [error.stack] : [];
  return { status: EXIT_FAILURE, lines: [`unexpected ${name}: ${firstLine(error)}${stack.length > 0 ? "" : " (set M2M_DEBUG=1 for the stack)"}`, ...stack] };
}

/** Prints a worded failure, each line prefixed by the command's name; returns its exit status. */
export function reportFailure(command: string, error: unknown, write: (text: string) => void, context: FailureContext = {}): ExitStatus {
  const { status, lines } = wordFailure(error, context);
  const [first, ...rest] = lines;
  write(`${command}: ${first}\n${rest.map((l) => `${l}\n`).join("")}`);
  return status;
}
