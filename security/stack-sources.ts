/**
 * The stacks to check, each with its metadata from the validated model: synthesized afresh
 * into a temporary directory (the default), or read from an existing synth output.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { M2MModel } from "../model/model-types";
import type { StackUnderCheck } from "./rule";
import { stackMetadataOf } from "./stack-metadata";
import { parseTerraformJson, type TerraformJson } from "./terraform-json";

export interface NamedStack extends StackUnderCheck {
  readonly name: string;
}

/** The synth output does not match the config: fixed message forms, one line each. */
export class StackSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackSourceError";
  }
}

function readStack(stacksDir: string, name: string): TerraformJson {
  const file = path.join(stacksDir, name, "cdk.tf.json");
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new StackSourceError(`no synthesized stack for environment ${name}: ${file} is missing (run npm run synth)`);
  }
  try {
    return parseTerraformJson(text);
  } catch (error) {
    // A repeated key is refused, not resolved: Terraform would read both copies.
    throw new StackSourceError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Reads `<dir>/<env>/cdk.tf.json` (or `<dir>/stacks/<env>/...`) for every environment of the model. */
export function readStacks(model: M2MModel, dir: string): NamedStack[] {
  const stacksDir = fs.existsSync(path.join(dir, "stacks")) ? path.join(dir, "stacks") : dir;
  if (!fs.existsSync(stacksDir)) throw new StackSourceError(`stacks directory ${dir} does not exist`);
  const names = new Set(model.environments.map((e) => e.name));
  const strays = fs.readdirSync(stacksDir).filter((entry) => fs.existsSync(path.join(stacksDir, entry, "cdk.tf.json")) && !names.has(entry));
  if (strays.length > 0) throw new StackSourceError(`${dir} holds stack(s) ${strays.join(", ")} that the config has no environment for (synthesize again)`);
  return model.environments.map((env) => ({ name: env.name, json: readStack(stacksDir, env.name), metadata: stackMetadataOf(env, model) }));
}

/** Synthesizes every environment into a temporary directory (removed afterwards) and reads the stacks. */
export function synthesizeStacks(model: M2MModel): NamedStack[] {
  // Loaded on demand: reading existing stacks needs no cdktf.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { synthesizeApp } = require("../constructs/m2m-app") as typeof import("../constructs/m2m-app");
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "m2m-security-"));
  try {
    synthesizeApp(model, { outdir });
    return readStacks(model, path.join(outdir, "stacks"));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
