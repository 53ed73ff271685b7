/** Real synthesis for tests: the app as `npm run synth` builds it, into a temporary directory. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import defaultConfig from "../fixtures/single-api.config";
import type { M2MConfigInput } from "../../model/config-types";
import type { M2MModel } from "../../model/model-types";
import { validateConfig } from "../../model/validate";
import { synthesizeApp } from "../../constructs/m2m-app";

/** A synthesized stack: the parsed `cdk.tf.json` and its exact text. */
export interface SynthesizedStack {
  readonly json: TerraformJson;
  readonly text: string;
}

export interface TerraformJson {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output: Record<string, { value: unknown; sensitive?: boolean; description?: string }>;
  provider: Record<string, unknown[]>;
  terraform: Record<string, any>;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `m2m-${prefix}-`));
}

/** Synthesizes a model into `outdir` and returns every stack by environment name. */
export function synthModel(model: M2MModel, outdir: string = tempDir("synth")): Record<string, SynthesizedStack> {
  synthesizeApp(model, { outdir });
  const stacks: Record<string, SynthesizedStack> = {};
  for (const env of model.environments) {
    const text = fs.readFileSync(path.join(outdir, "stacks", env.name, "cdk.tf.json"), "utf8");
    stacks[env.name] = { text, json: JSON.parse(text) as TerraformJson };
  }
  return stacks;
}

export function synthConfig(config: M2MConfigInput, outdir?: string): Record<string, SynthesizedStack> {
  return synthModel(validateConfig(config), outdir);
}

export function synthDefault(outdir?: string): Record<string, SynthesizedStack> {
  return synthConfig(defaultConfig, outdir);
}

/** The resource `type.name`, without cdktf's `//` metadata. */
export function resourceOf(stack: SynthesizedStack, type: string, name: string): Record<string, any> {
  const resource = stack.json.resource[type]?.[name];
  if (!resource) throw new Error(`${type}.${name} is not in the stack`);
  const { "//": _metadata, ...rest } = resource;
  return rest;
}

export function resourcesOf(stack: SynthesizedStack, type: string): Record<string, Record<string, any>> {
  return stack.json.resource[type] ?? {};
}

/** The REST API's OpenAPI document: the parsed body of the stack's `aws_api_gateway_rest_api_put`. */
export function apiDocumentOf(stack: SynthesizedStack): Record<string, any> {
  return JSON.parse(resourceOf(stack, "aws_api_gateway_rest_api_put", "api").body as string);
}

/** Every operation of the document as `METHOD /path` -> operation. */
export function operationsOf(stack: SynthesizedStack): Record<string, Record<string, any>> {
  const out: Record<string, Record<string, any>> = {};
  for (const [path, item] of Object.entries(apiDocumentOf(stack).paths as Record<string, Record<string, any>>)) {
    for (const [key, operation] of Object.entries(item)) out[`${key === "x-amazon-apigateway-any-method" ? "ANY" : key.toUpperCase()} ${path}`] = operation;
  }
  return out;
}
