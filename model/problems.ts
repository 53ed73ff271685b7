/** Config problems: each names the field path, the rule broken and the value received. */

export interface ConfigProblem {
  /** Field path, e.g. `environments[1].domainPrefix`. */
  readonly path: string;
  /** The rule, phrased to follow the path: "must not contain ...". */
  readonly rule: string;
  readonly value: unknown;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (typeof part === "string" && /^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out || "(config)";
}

function formatValue(value: unknown): string {
  if (value === undefined) return "nothing";
  // Long strings are cut inside their quotes, so the line still reads as a string.
  if (typeof value === "string" && value.length > 77) return JSON.stringify(`${value.slice(0, 74)}...`);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function formatProblem(problem: ConfigProblem): string {
  return `${problem.path}: ${problem.rule} (got ${formatValue(problem.value)})`;
}

/** Thrown by `validateConfig` with every problem found; nothing has been built when it is thrown. */
export class ConfigValidationError extends Error {
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[]) {
    super(
      `invalid config: ${problems.length} problem${problems.length === 1 ? "" : "s"}\n` +
        problems.map((p) => `  ${formatProblem(p)}`).join("\n"),
    );
    this.name = "ConfigValidationError";
    this.problems = problems;
  }
}
