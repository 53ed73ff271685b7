/**
 * Which changed files of a pull request are code that decides access. The config files
 * (`m2m.config.ts`, team files `*.m2m.ts`) are data: the trusted side reads them without running
 * them (model/config-data-reader.ts) and the diff shows what they change. What a model MEANS in
 * AWS is decided by code: model/ (validation, scope matching), constructs/ (what is
 * synthesized), lambdas/ and backends/ (what runs), reports/ and security/ (what reviewers and
 * the rules see), .github/ (what CI runs), the package files (what is installed). The review
 * plans with the base branch's code, so it cannot show a change there; the comment says so and
 * names the platform owners who must approve it.
 */
import { mdCode } from "./markdown-text";

/** Changes a reviewer reads as prose, not code: documentation only. */
function isDocumentation(file: string): boolean {
  return /^docs\//.test(file) || /\.md$/i.test(file);
}

/** The config files, read as data: the main file and team files. */
function isConfigFile(file: string): boolean {
  return file === "m2m.config.ts" || /\.m2m\.ts$/.test(file);
}

export interface CodeChanges {
  /** A config file changed (its effect is in the diff). */
  readonly config: boolean;
  /** Changed files outside the config and the documentation, sorted. */
  readonly code: readonly string[];
}

/** Classifies the changed files (paths relative to the repository root, one per entry). */
export function codeChangesOf(changedFiles: readonly string[]): CodeChanges {
  const files = [...new Set(changedFiles.map((f) => f.trim()).filter((f) => f !== ""))].sort();
  return { config: files.some(isConfigFile), code: files.filter((f) => !isConfigFile(f) && !isDocumentation(f)) };
}

/** Files listed in the notice; the rest are counted. */
const MAX_LISTED = 40;

/** The notice for the PR comment (Markdown), or "" when only the config's data and docs changed. */
export function renderCodeChangeNotice(changes: CodeChanges, platformOwners: readonly string[] = []): string {
  const out: string[] = [];
  if (changes.code.length > 0) {
    const listed = changes.code.slice(0, MAX_LISTED).map((f) => `- ${mdCode(f)}`);
    const more = changes.code.length > MAX_LISTED ? [`- and ${changes.code.length - MAX_LISTED} more`] : [];
    out.push(
      "> [!WARNING]",
      "> **This PR changes code that decides access.** The access diff below compares the models as data;",
      "> it cannot show what these files change in how a model becomes IAM, Cognito and API Gateway settings,",
      "> what the scope checker decides, or what CI runs. The review synthesized and planned with the base",
      "> branch's code; this PR's own synth runs only in its untrusted `pull request` run. Read them as code,",
      `> with the platform owners (${platformOwners.length === 0 ? "CODEOWNERS of `.github/`" : platformOwners.map(mdCode).join(", ")}):`,
      ">",
      ...[...listed, ...more].map((l) => `> ${l}`),
      "",
    );
  }
  return out.join("\n");
}
