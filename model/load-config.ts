/**
 * Loads a config module (TypeScript, run under tsx or ts-jest) and returns its default export,
 * unvalidated. Every command loads its config here; each words the failure its own way from
 * the typed `ConfigLoadError`.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";

export type ConfigLoadFailure = "missing" | "unloadable" | "no-default-export";

/** The file could not give a config: `cannot load <file>: <reason>` (one line). */
export class ConfigLoadError extends Error {
  constructor(
    readonly file: string,
    readonly failure: ConfigLoadFailure,
    readonly reason: string,
  ) {
    super(`cannot load ${file}: ${reason}`);
    this.name = "ConfigLoadError";
  }
}

/**
 * One line from an evaluation error, which carries code frames and stacks: its first line, and
 * the next one when the first only announces it ("Transform failed with 1 error:").
 */
function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const [first, second] = text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  if (first === undefined) return "unknown error";
  return first.endsWith(":") && second !== undefined ? `${first} ${second}` : first;
}

export function loadConfigFile(file: string): unknown {
  const resolved = path.resolve(file);
  if (!existsSync(resolved)) throw new ConfigLoadError(file, "missing", "no such file");
  let mod: { default?: unknown };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(resolved) as { default?: unknown };
  } catch (error) {
    throw new ConfigLoadError(file, "unloadable", oneLine(error));
  }
  const config = mod.default ?? mod;
  if (typeof config !== "object" || config === null) {
    throw new ConfigLoadError(file, "no-default-export", "has no default export (export default defineConfig({ ... }))");
  }
  return config;
}
