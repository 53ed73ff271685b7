/** Real synthesis of a config, paired with each stack's metadata from the same validated model. */
import * as fs from "node:fs";
import type { M2MConfigInput } from "../../model/config-types";
import { validateConfig } from "../../model/validate";
import type { StackUnderCheck } from "../../security/rule";
import { stackMetadataOf } from "../../security/stack-metadata";
import { synthModel, tempDir } from "../support/synth";

export function synthesizeForCheck(config: M2MConfigInput): Record<string, StackUnderCheck> {
  const model = validateConfig(config);
  const outdir = tempDir("security");
  const stacks = synthModel(model, outdir);
  fs.rmSync(outdir, { recursive: true, force: true }); // the parsed JSON is all the rules need
  return Object.fromEntries(model.environments.map((env) => [env.name, { json: stacks[env.name].json, metadata: stackMetadataOf(env, model) }]));
}

/** A deep copy to break, leaving the synthesized original intact for the next case. */
export function copyOf(stack: StackUnderCheck): StackUnderCheck {
  return { json: structuredClone(stack.json), metadata: { ...stack.metadata } };
}
