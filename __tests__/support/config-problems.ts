/** Validation as the tests read it: the formatted problems of a config after an edit. */
import defaultConfig from "../fixtures/single-api.config";
import { ConfigValidationError, formatProblem } from "../../model/problems";
import { validateConfig } from "../../model/validate";

export type MutableConfig = Record<string, any>;

/** Every problem (`path: rule (got value)`) of `validateConfig`, or none for a valid config. */
export function problemsOf(config: unknown): string[] {
  try {
    validateConfig(config);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems.map(formatProblem);
    throw error;
  }
  return [];
}

/** The problems of `base` (a deep copy of the default config unless given) after `mutate` edits it. */
export function problemsAfter(mutate: (config: MutableConfig) => void, base: () => unknown = () => structuredClone(defaultConfig)): string[] {
  const config = base() as MutableConfig;
  mutate(config);
  return problemsOf(config);
}
