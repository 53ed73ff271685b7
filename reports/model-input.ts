/**
 * The model as data (issues 15 and 21): `npm run model:json` reads the config as data (never
 * run), validates it, and writes its plain data as JSON. The report reads such a file with the
 * strict JSON reader (a repeated key is refused, never resolved), within a size bound, and
 * validates it AGAIN with its own rules before computing the access diff. Deploys synthesize
 * from the same kind of file.
 */
import { readFileSync, statSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import type { M2MModel } from "../model/model-types";
import { ConfigValidationError } from "../model/problems";
import { validateConfig } from "../model/validate";
import { InvalidConfigError } from "../model/command-voice";
import { restoreOrigins, withOriginsField } from "../model/config-origins";
export { ORIGINS_FIELD } from "../model/config-origins";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const strictJson = require("../.github/plan-guard/strict-json.js") as { parseStrictJson(text: string): unknown };

/** Far above any real config (a 1,000-client config is ~200 KB), far below what could exhaust a runner. */
const MAX_MODEL_INPUT_BYTES = 8 * 1024 * 1024;

/** The model file cannot be used: one line, fixed form. */
export class ModelInputError extends Error {
  constructor(readonly file: string, readonly reason: string) {
    super(`cannot use the model file ${file}: ${reason}`);
    this.name = "ModelInputError";
  }
}

/**
 * The config's data as the JSON text `npm run model:json` writes. Refuses a config whose data
 * does not survive JSON (functions, undefined, class instances): the trusted side would then
 * validate something other than what was synthesized.
 */
export function modelInputText(config: unknown, model: M2MModel = validateConfig(config)): string {
  // A per-team config was merged from several files: where each API and client came from
  // (what gives an API its `sourceFile`, and problems their file) travels with the data.
  const text = `${JSON.stringify(withOriginsField(config), null, 2)}\n`;
  const again = validateConfig(withOrigins(JSON.parse(text), "(config)"));
  if (!isDeepStrictEqual(again, model)) throw new ModelInputError("(config)", "the config holds values JSON cannot carry (functions, undefined, class instances); write it as plain data");
  return text;
}

/**
 * The config data of a model file, its origins (if any) taken out and recorded for the
 * validator (model/config-origins.ts); a malformed record is refused.
 */
function withOrigins(data: unknown, shownAs: string): unknown {
  const restored = restoreOrigins(data);
  if ("problem" in restored) throw new ModelInputError(shownAs, restored.problem);
  return restored.config;
}

/** Reads and validates a model file with this checkout's rules. */
export function readModelInput(file: string, shownAs: string = file): M2MModel {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new ModelInputError(shownAs, "no such file");
  }
  if (size > MAX_MODEL_INPUT_BYTES) throw new ModelInputError(shownAs, `${size} bytes, more than the ${MAX_MODEL_INPUT_BYTES} a config can need`);
  let data: unknown;
  try {
    data = strictJson.parseStrictJson(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ModelInputError(shownAs, (error as Error).message);
  }
  try {
    return validateConfig(withOrigins(data, shownAs));
  } catch (error) {
    if (error instanceof ConfigValidationError) throw new InvalidConfigError(shownAs, error.problems);
    throw error;
  }
}
