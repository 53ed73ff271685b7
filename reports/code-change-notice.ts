/**
 * Which changed files of a pull request are code that decides access. The access diff is
 * computed from the model as data, but the model comes from `m2m.config.ts` (executable
 * TypeScript), and what a model MEANS in AWS is decided by the project's own code: model/
 * (validation, scope matching), constructs/ (what is synthesized), lambdas/ (the scope checker),
 * reports/ and security/ (what reviewers and the rules see), .github/ (what CI runs), the
 * package files (what is installed). The diff cannot show a change there; the comment says so.
 */
import { mdCode, mdText } from "./markdown-text";

/** Changes a reviewer reads as prose or data, not code: documentation only. The config is code. */
function isDocumentation(file: string): boolean {
  return /^docs\//.test(file) || /\.md$/i.test(file);
}

const CONFIG_FILE = "m2m.config.ts";

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

/**
 * Names whose use makes a config more than data: it can then behave differently in CI, at deploy
 * time and in review. (The two module-path names are spelled in parts: the compiled entry points
 * replace those identifiers in the source text, string literals included.)
 */
const CODE_WORDS = ["process", "globalThis", "require", "eval", "Function", "fetch", "setTimeout", "setInterval", "setImmediate", "queueMicrotask", ...["dirname", "filename"].map((n) => `__${n}`), "Buffer", "Date", "Math"];

/**
 * What in the config's TEXT (read, never run: the trusted side has it from GitHub's API) makes it
 * more than data: imports other than `defineConfig`'s module, dynamic imports, and names of the
 * runtime. A heuristic for the reviewer's attention, not a proof: an empty list says only that
 * none of these words appear.
 */
export function configCodeFindings(text: string): string[] {
  const findings: string[] = [];
  // Words inside comments and quoted strings are text (a description may say "process"). One
  // left-to-right pass, so a `//` inside a string never hides the code after it. Template
  // literals can hold code (`${...}`): their presence alone is a finding.
  let templates = false;
  const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`]*`/g, (t) => {
    if (t.startsWith("`")) templates = true;
    return t.startsWith("/") ? " " : '""';
  });
  if (templates) findings.push("uses template literals");
  for (const m of text.matchAll(/\bimport\s+(?:[^'"]*?\bfrom\s+)?["']([^"']+)["']/g)) {
    if (!/^\.\/model\/config-types$/.test(m[1]!)) findings.push(`imports ${m[1]}`);
  }
  if (/\bimport\s*\(/.test(code)) findings.push("imports a module at run time (import())");
  if (/\bexport\s+(?!default\b)/.test(code)) findings.push("exports more than the default config");
  for (const word of CODE_WORDS) if (new RegExp(`(?<![\\w$.])${word}(?![\\w$])`).test(code)) findings.push(`uses ${word}`);
  if (/=>|\bfunction\b|\bclass\b|\bnew\s/.test(code)) findings.push("defines functions or classes");
  return [...new Set(findings)];
}

/** The notice for the PR comment (Markdown), or "" when only the config's data and docs changed. */
export function renderCodeChangeNotice(changes: CodeChanges, configFindings: readonly string[] = []): string {
  const out: string[] = [];
  if (changes.code.length > 0) {
    const listed = changes.code.slice(0, MAX_LISTED).map((f) => `- ${mdCode(f)}`);
    const more = changes.code.length > MAX_LISTED ? [`- and ${changes.code.length - MAX_LISTED} more`] : [];
    out.push(
      "> [!WARNING]",
      "> **This PR changes code that decides access.** The access diff below compares the models as data;",
      "> it cannot show what these files change in how a model becomes IAM, Cognito and API Gateway settings,",
      "> what the scope checker decides, or what CI runs. Read them as code:",
      ">",
      ...[...listed, ...more].map((l) => `> ${l}`),
      "",
    );
  }
  if (changes.config && configFindings.length > 0) {
    out.push(
      "> [!WARNING]",
      `> **${mdCode(CONFIG_FILE)} is more than data** in this PR: it ${configFindings.map((f) => mdText(f)).join("; ")}.`,
      "> The config runs in CI and again at deploy time; code can make it produce another model there than",
      "> the one diffed below. Read it as code.",
      "",
    );
  }
  return out.join("\n");
}
