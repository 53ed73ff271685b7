/**
 * Which changed files of a pull request are code that decides access. The access diff is
 * computed from the model as data, but the model comes from `m2m.config.ts` (executable
 * TypeScript), and what a model MEANS in AWS is decided by the project's own code: model/
 * (validation, scope matching), constructs/ (what is synthesized), lambdas/ (the scope checker),
 * reports/ and security/ (what reviewers and the rules see), .github/ (what CI runs), the
 * package files (what is installed). The diff cannot show a change there; the comment says so.
 */
import { mdCode } from "./markdown-text";

/** Changes a reviewer reads as prose or data, not code: documentation only. The config is code. */
function isDocumentation(file: string): boolean {
  return /^docs\//.test(file) || /\.md$/i.test(file);
}

export const CONFIG_FILE = "m2m.config.ts";

export interface CodeChanges {
  /** The config changed: it is executable, so its diff is read as code too. */
  readonly config: boolean;
  /** Changed files outside the config and the documentation, sorted. */
  readonly code: readonly string[];
}

/** Classifies the changed files (paths relative to the repository root, one per entry). */
export function codeChangesOf(changedFiles: readonly string[]): CodeChanges {
  const files = [...new Set(changedFiles.map((f) => f.trim()).filter((f) => f !== ""))].sort();
  return { config: files.includes(CONFIG_FILE), code: files.filter((f) => f !== CONFIG_FILE && !isDocumentation(f)) };
}

/** Files listed in the notice; the rest are counted. */
const MAX_LISTED = 40;

/** The notice for the PR comment (Markdown), or "" when only the config's data and docs changed. */
export function renderCodeChangeNotice(changes: CodeChanges): string {
  if (changes.code.length === 0) return "";
  const listed = changes.code.slice(0, MAX_LISTED).map((f) => `- ${mdCode(f)}`);
  const more = changes.code.length > MAX_LISTED ? [`- and ${changes.code.length - MAX_LISTED} more`] : [];
  return [
    "> [!WARNING]",
    "> **This PR changes code that decides access.** The access diff below compares the models as data;",
    "> it cannot show what these files change in how a model becomes IAM, Cognito and API Gateway settings,",
    "> what the scope checker decides, or what CI runs. Read them as code:",
    ">",
    ...[...listed, ...more].map((l) => `> ${l}`),
    "",
  ].join("\n");
}
