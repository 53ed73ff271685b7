/**
 * Evaluates a config file (`m2m.config.ts`) and returns its default export, unvalidated, with
 * the loader `npm run synth` uses. The report CLI runs under tsx, whose require hook compiles
 * TypeScript on the fly.
 */
import { existsSync } from "node:fs";
import { loadConfigFile } from "../model/load-config";
import { ConfigLoadError, firstLine } from "./errors";

export function loadConfigModule(file: string, shownAs: string = file): unknown {
  if (!existsSync(file)) throw new ConfigLoadError(shownAs, "no such file");
  let config: unknown;
  try {
    config = loadConfigFile(file);
  } catch (error) {
    throw new ConfigLoadError(shownAs, firstLine(error));
  }
  if (typeof config !== "object" || config === null) throw new ConfigLoadError(shownAs, "has no default export (export default defineConfig({ ... }))");
  return config;
}
