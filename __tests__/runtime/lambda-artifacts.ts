/**
 * What Lambda will run, read from a synthesized stack (cdk.tf.json + its assets), never from the
 * repository: each `aws_lambda_function` with its handler string, runtime and environment, the
 * files its zip will hold (the inputs of the `data.archive_file` its `filename` names, and
 * nothing else) and the files of each layer (Lambda unpacks them under /opt). References only an
 * apply can resolve (a client id in the access file, the pool id in an environment variable)
 * are handed to `resolve`, the way Terraform substitutes them at apply.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseJsonencode } from "../../security/hcl-value";
import { archiveEntries, type ZipEntry } from "../../verify/deterministic-zip";

type Json = Record<string, any>;

export interface LambdaArtifact {
  /** `aws_lambda_function.<name>`. */
  readonly address: string;
  /** The function_name as synthesized (a literal). */
  readonly functionName: string;
  readonly handler: string;
  /** e.g. `nodejs22.x`. */
  readonly runtime: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** Environment variables as synthesized: references still `${...}`. */
  readonly environment: Readonly<Record<string, string>>;
  /** The zip's entries. */
  readonly files: readonly ZipEntry[];
  /** Each layer's entries, in the function's layer order. */
  readonly layers: readonly (readonly ZipEntry[])[];
}

/** A reference only an apply resolves (`aws_cognito_user_pool.user_pool.id`) -> its value in the test's world. */
export type ReferenceResolver = (reference: string) => string;

const REFERENCE = /^\$\{([a-z0-9_.]+)\}$/;

function referenced(value: unknown, what: string): string {
  const match = typeof value === "string" ? REFERENCE.exec(value) : null;
  if (!match) throw new Error(`${what}: expected a single reference, found ${JSON.stringify(value)}`);
  return match[1]!;
}

/** Replaces every `${reference}` string inside a parsed jsonencode value. */
function resolveValue(value: unknown, resolve: ReferenceResolver): unknown {
  if (typeof value === "string") {
    const match = REFERENCE.exec(value);
    return match ? resolve(match[1]!) : value;
  }
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, resolve));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValue(v, resolve)]));
  return value;
}

/** The entries `data.archive_file.<name>` zips: source_file, source_dir or source_content (jsonencode or literal). */
function archiveFiles(json: Json, name: string, stackDir: string, resolve: ReferenceResolver): ZipEntry[] {
  const body = json.data?.archive_file?.[name] as Json | undefined;
  if (!body) throw new Error(`data.archive_file.${name} is not in the stack`);
  if (body.source_content !== undefined) {
    const encoded = parseJsonencode(body.source_content);
    const text = encoded !== undefined ? JSON.stringify(resolveValue(encoded, resolve)) : body.source_content.includes("${") ? undefined : body.source_content;
    if (text === undefined) throw new Error(`data.archive_file.${name}: source_content is neither a literal nor jsonencode(...)`);
    return [{ name: body.source_content_filename, data: Buffer.from(text, "utf8") }];
  }
  if (body.source !== undefined) throw new Error(`data.archive_file.${name}: source blocks are not read by the runtime tier yet`);
  const file = body.source_file === undefined ? undefined : path.resolve(stackDir, body.source_file);
  const dir = body.source_dir === undefined ? undefined : path.resolve(stackDir, body.source_dir);
  return archiveEntries({ file, dir });
}

/** `${data.archive_file.<name>.output_path}` -> `<name>`. */
function archiveNameOf(filename: unknown, what: string): string {
  const ref = referenced(filename, what);
  const match = /^data\.archive_file\.([a-z0-9_]+)\.output_path$/.exec(ref);
  if (!match) throw new Error(`${what}: not the output_path of a data.archive_file (${ref})`);
  return match[1]!;
}

/** Every Lambda function of the stack in `stackDir`, with exactly what its zip and layers hold. */
export function lambdaArtifacts(stackDir: string, resolve: ReferenceResolver): LambdaArtifact[] {
  const json = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")) as Json;
  const functions = (json.resource?.aws_lambda_function ?? {}) as Record<string, Json>;
  return Object.entries(functions).map(([name, body]) => {
    const address = `aws_lambda_function.${name}`;
    const layers = ((body.layers ?? []) as unknown[]).map((layer, i) => {
      const ref = referenced(layer, `${address}.layers[${i}]`);
      const match = /^aws_lambda_layer_version\.([a-z0-9_]+)\.arn$/.exec(ref);
      if (!match) throw new Error(`${address}.layers[${i}]: not a layer version of this stack (${ref})`);
      const layerBody = json.resource.aws_lambda_layer_version[match[1]!] as Json;
      return archiveFiles(json, archiveNameOf(layerBody.filename, `aws_lambda_layer_version.${match[1]}.filename`), stackDir, resolve);
    });
    return {
      address,
      functionName: body.function_name,
      handler: body.handler,
      runtime: body.runtime,
      memoryMb: body.memory_size ?? 128,
      timeoutSeconds: body.timeout ?? 3,
      environment: (body.environment?.variables ?? {}) as Record<string, string>,
      files: archiveFiles(json, archiveNameOf(body.filename, `${address}.filename`), stackDir, resolve),
      layers,
    };
  });
}

/** Writes entries under `dir` (created), as Lambda unpacks a zip. */
export function unpack(entries: readonly ZipEntry[], dir: string): void {
  for (const entry of entries) {
    const target = path.join(dir, entry.name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, entry.data);
  }
}

/** Environment variables with every `${reference}` resolved (literals kept as synthesized). */
export function resolvedEnvironment(artifact: LambdaArtifact, resolve: ReferenceResolver): Record<string, string> {
  return Object.fromEntries(
    Object.entries(artifact.environment).map(([k, v]) => {
      if (!v.includes("${")) return [k, v];
      const match = REFERENCE.exec(v);
      if (!match) throw new Error(`${artifact.address}: environment ${k} is an expression the runtime tier cannot resolve: ${v}`);
      return [k, resolve(match[1]!)];
    }),
  );
}
