/**
 * Reads a config file as data (never runs it: model/config-data-reader.ts) and returns its
 * default export, unvalidated, with the team files its `apiFiles` names merged in. Every command
 * (synth, deploy, reports, `m2m`, the review) loads its config here; each words the failure its
 * own way from the typed `ConfigLoadError`.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { configLayout } from "./config-schema";
import { recordOrigins, restoreOrigins, type EntryOrigin } from "./config-origins";
import { readConfigData } from "./config-data-reader";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const strictJson = require("../.github/plan-guard/strict-json.js") as { parseStrictJson(text: string): unknown };

export type ConfigLoadFailure = "missing" | "unloadable" | "no-default-export" | "named-exports-only" | "not-data";

/** The file could not give a config: `cannot load <file>: <reason>` (one line). */
export class ConfigLoadError extends Error {
  constructor(
    readonly file: string,
    readonly failure: ConfigLoadFailure,
    readonly reason: string,
    /** One line per construct when the file is not data: `file:line:column: what`. */
    readonly details: readonly string[] = [],
  ) {
    super(`cannot load ${file}: ${reason}`);
    this.name = "ConfigLoadError";
  }
}

/** One line from a reading error: its first line, and the next one when the first only announces it. */
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

/** Far above any real config file, far below what could exhaust a runner reading a pull request's. */
const MAX_CONFIG_FILE_BYTES = 8 * 1024 * 1024;

/**
 * A config file's value, read as data and never run (model/config-data-reader.ts): the main
 * config or a team's API. A `.json` file is a model file (`npm run model:json`), read strictly.
 */
function loadModule(file: string, shownAs: string = file, helper: "defineConfig" | "defineApi" = "defineConfig"): unknown {
  const resolved = path.resolve(file);
  let stat;
  try {
    stat = lstatSync(resolved);
  } catch {
    throw new ConfigLoadError(shownAs, "missing", "no such file");
  }
  // A link could make the reviewed bytes another file than the one the pull request shows.
  if (!stat.isFile()) throw new ConfigLoadError(shownAs, "unloadable", "is not a regular file (a link or a directory): a config is a file of its own");
  if (stat.size > MAX_CONFIG_FILE_BYTES) throw new ConfigLoadError(shownAs, "unloadable", `${stat.size} bytes, more than the ${MAX_CONFIG_FILE_BYTES} a config can need`);
  const text = readFileSync(resolved, "utf8");
  if (resolved.endsWith(".json")) {
    try {
      return objectExport(shownAs, strictJson.parseStrictJson(text), helper);
    } catch (error) {
      if (error instanceof ConfigLoadError) throw error;
      throw new ConfigLoadError(shownAs, "unloadable", oneLine(error));
    }
  }
  let read;
  try {
    read = readConfigData(shownAs, text);
  } catch (error) {
    // Nesting deep enough to exhaust the stack: not a config anyone wrote by hand.
    if (error instanceof RangeError) throw new ConfigLoadError(shownAs, "unloadable", "is nested too deeply to read");
    throw error;
  }
  if ("noDefaultExport" in read) throw new ConfigLoadError(shownAs, "no-default-export", `has no default export: write export default ${helper}({ ... })`);
  if ("problems" in read) {
    const n = read.problems.length;
    throw new ConfigLoadError(shownAs, "not-data", `is read as data, never run, and ${n === 1 ? "1 construct is" : `${n} constructs are`} not data (write the values out, or generate this file: docs/configure.md, "Computed configs")`, read.problems);
  }
  return objectExport(shownAs, read.value, helper);
}

/** The default export must be an object: the config, or a team's API. */
function objectExport(file: string, config: unknown, helper: "defineConfig" | "defineApi"): unknown {
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new ConfigLoadError(file, "no-default-export", `its default export is not a config object (got ${config === null ? "null" : Array.isArray(config) ? "an array" : typeof config}): write export default ${helper}({ ... })`);
  }
  return config;
}
