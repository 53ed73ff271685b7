/**
 * Loads a config module (TypeScript, run under tsx or ts-jest) and returns its default export,
 * unvalidated, with the team files its `apiFiles` names merged in. Every command loads its config here; each words the failure its own way from
 * the typed `ConfigLoadError`.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import * as path from "node:path";
import { configLayout } from "./config-schema";
import { recordOrigins, restoreOrigins, type EntryOrigin } from "./config-origins";

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
  // A model file (`npm run model:json`) carries a merged config's origins: recorded again here.
  const restored = restoreOrigins(loadModule(file));
  if ("problem" in restored) throw new ConfigLoadError(file, "unloadable", restored.problem);
  const { config } = restored;
  const apiFiles = (config as { apiFiles?: unknown }).apiFiles;
  if (configLayout(config) === "single-api" || typeof apiFiles !== "string") return config;
  return mergeTeamFiles(file, config as Record<string, unknown>, apiFiles);
}

/** The file name a team file must have: `<anything>.m2m.ts`. */
const TEAM_FILE = /\.m2m\.ts$/;

/**
 * The main config with every team file of `apiFiles` merged in, in file-name order: each file's
 * API (without its clients) appended to `apis`, its clients to `clients` with the API as their
 * sponsor. The origins of the merged entries are recorded for the validator's problem paths.
 */
function mergeTeamFiles(file: string, main: Record<string, unknown>, apiFiles: string): Record<string, unknown> {
  const base = path.dirname(path.resolve(file));
  const dir = path.resolve(base, apiFiles);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ConfigLoadError(file, "unloadable", `apiFiles names ${JSON.stringify(apiFiles)}, which is not a directory next to it`);
  const ownApis = Array.isArray(main.apis) ? (main.apis as unknown[]) : [];
  const ownClients = Array.isArray(main.clients) ? (main.clients as unknown[]) : [];
  const apis: unknown[] = [...ownApis];
  const clients: unknown[] = [...ownClients];
  const origins = { mainFile: path.basename(file), apis: ownApis.map((): EntryOrigin | undefined => undefined), clients: ownClients.map((): EntryOrigin | undefined => undefined) };
  for (const name of readdirSync(dir).filter((n) => TEAM_FILE.test(n)).sort()) {
    const relative = path.relative(base, path.join(dir, name)).split(path.sep).join("/");
    const team = loadModule(path.join(dir, name), relative, "defineApi") as Record<string, unknown>;
    const { clients: sponsored, ...api } = team;
    origins.apis.push({ file: relative, at: "" });
    apis.push(api);
    if (sponsored === undefined) continue;
    if (!Array.isArray(sponsored)) throw new ConfigLoadError(relative, "unloadable", "its clients must be an array of clients");
    sponsored.forEach((client, k) => {
      origins.clients.push({ file: relative, at: `clients[${k}]` });
      clients.push(typeof client === "object" && client !== null ? { sponsor: api.name, ...client } : client);
    });
  }
  const { apiFiles: _merged, ...rest } = main;
  const merged = { ...rest, apis, clients };
  recordOrigins(merged, origins);
  return merged;
}

/** A TypeScript module's default export: the main config, or a team's API. */
function loadModule(file: string, shownAs: string = file, helper: "defineConfig" | "defineApi" = "defineConfig"): unknown {
  const resolved = path.resolve(file);
  if (!existsSync(resolved)) throw new ConfigLoadError(shownAs, "missing", "no such file");
  let mod: { default?: unknown; __esModule?: unknown };
  try {
    // Compiled entry points run as plain JavaScript: the config is TypeScript (bin/ts-require.js).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (require.extensions[".ts"] === undefined) (require("../bin/ts-require") as { install(): void }).install();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(resolved) as { default?: unknown; __esModule?: unknown };
  } catch (error) {
    throw new ConfigLoadError(shownAs, "unloadable", oneLine(error));
  }
  return defaultExport(shownAs, mod, helper);
}

/**
 * The config is the module's default export. A module written with `export` statements and no
 * `export default` is told exactly that (with the names it does export), rather than validated
 * as an empty config; a CommonJS module (`module.exports = {...}`) is its own config.
 */
function defaultExport(file: string, mod: { default?: unknown; __esModule?: unknown }, helper: "defineConfig" | "defineApi"): unknown {
  const esModule = mod.__esModule === true || Object.prototype.hasOwnProperty.call(mod, "default");
  // A file without import/export statements compiles to a CommonJS module that exports nothing.
  const config = esModule ? mod.default : Object.keys(mod).length > 0 ? mod : undefined;
  if (config === undefined) {
    const named = Object.keys(mod).filter((k) => k !== "default" && k !== "__esModule");
    throw new ConfigLoadError(
      file,
      named.length > 0 ? "named-exports-only" : "no-default-export",
      named.length > 0
        ? `has no default export, only named exports (${named.join(", ")}): write export default ${helper}({ ... })`
        : `has no default export: write export default ${helper}({ ... })`,
    );
  }
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new ConfigLoadError(file, "no-default-export", `its default export is not a config object (got ${config === null ? "null" : Array.isArray(config) ? "an array" : typeof config}): write export default ${helper}({ ... })`);
  }
  return config;
}
