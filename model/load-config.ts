/**
 * Loads a config module (TypeScript, run under tsx or ts-jest) and returns its default export,
 * unvalidated. Every command loads its config here; each words the failure its own way from
 * the typed `ConfigLoadError`.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";

export type ConfigLoadFailure = "missing" | "unloadable" | "no-default-export" | "named-exports-only";

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
  let mod: { default?: unknown; __esModule?: unknown };
  try {
    // Compiled entry points run as plain JavaScript: the config is TypeScript (bin/ts-require.js).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (require.extensions[".ts"] === undefined) (require("../bin/ts-require") as { install(): void }).install();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(resolved) as { default?: unknown; __esModule?: unknown };
  } catch (error) {
    throw new ConfigLoadError(file, "unloadable", oneLine(error));
  }
  return defaultExport(file, mod);
}

/**
 * The config is the module's default export. A module written with `export` statements and no
 * `export default` is told exactly that (with the names it does export), rather than validated
 * as an empty config; a CommonJS module (`module.exports = {...}`) is its own config.
 */
function defaultExport(file: string, mod: { default?: unknown; __esModule?: unknown }): unknown {
  const esModule = mod.__esModule === true || Object.prototype.hasOwnProperty.call(mod, "default");
  // A file without import/export statements compiles to a CommonJS module that exports nothing.
  const config = esModule ? mod.default : Object.keys(mod).length > 0 ? mod : undefined;
  if (config === undefined) {
    const named = Object.keys(mod).filter((k) => k !== "default" && k !== "__esModule");
    throw new ConfigLoadError(
      file,
      named.length > 0 ? "named-exports-only" : "no-default-export",
      named.length > 0
        ? `has no default export, only named exports (${named.join(", ")}): write export default defineConfig({ ... })`
        : "has no default export: write export default defineConfig({ ... })",
    );
  }
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new ConfigLoadError(file, "no-default-export", `its default export is not a config object (got ${config === null ? "null" : Array.isArray(config) ? "an array" : typeof config}): write export default defineConfig({ ... })`);
  }
  return config;
}
