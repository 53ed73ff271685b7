/**
 * Reads a config file (`m2m.config.ts`) as data and returns its default export, unvalidated,
 * with the loader `npm run synth` uses, naming the file as the report shows it.
 */
import { ConfigLoadError as ModelConfigLoadError, loadConfigFile } from "../model/load-config";
import { ConfigLoadError } from "./errors";

export function loadConfigModule(file: string, shownAs: string = file): unknown {
  try {
    return loadConfigFile(file);
  } catch (error) {
    if (error instanceof ModelConfigLoadError) throw new ConfigLoadError(shownAs, error.reason, error.details);
    throw error;
  }
}
