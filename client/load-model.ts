/**
 * Loads `m2m.config.ts` (or another config file) and validates it into the model. The config is
 * read as data, never run (model/load-config.ts); its default export is the config.
 */
import { relative } from "node:path";
import type { Environment, M2MModel } from "../model/model-types";
import { ConfigLoadError, loadConfigFile } from "../model/load-config";
import { CommandFailure, InvalidConfigError } from "../model/command-voice";
import { ConfigValidationError } from "../model/problems";
import { validateConfig } from "../model/validate";
import { UsageError } from "./usage-error";

export { DEFAULT_CONFIG_FILE } from "./config-file";

export function loadModel(given: string): M2MModel {
  // Every message names the file relative to the working directory, as synth, report and check:security do.
  const configFile = relative(process.cwd(), given) || given;
  let config: unknown;
  try {
    config = loadConfigFile(configFile);
  } catch (error) {
    if (error instanceof ConfigLoadError && error.failure === "missing") {
      throw new CommandFailure(`config file ${configFile} not found: run m2m in the project directory or pass --config FILE`);
    }
    throw error;
  }
  try {
    return validateConfig(config);
  } catch (error) {
    // Worded as every command words an invalid config (model/command-voice).
    if (error instanceof ConfigValidationError) throw new InvalidConfigError(configFile, error.problems);
    throw error;
  }
}

export function environmentOf(model: M2MModel, name: string): Environment {
  const environment = model.environments.find((e) => e.name === name);
  if (!environment) throw new UsageError(`unknown environment "${name}" (the config defines: ${model.environments.map((e) => e.name).join(", ")})`);
  return environment;
}
