/**
 * Bundles a Lambda handler with esbuild, synchronously, as part of synth: one ESM file for
 * Node.js 22, minified, no source map, no legal comments. The output is deterministic (same
 * sources, same bytes on every machine: no absolute paths, no timestamps), so the archive's
 * hash and the Terraform plan only change when the code does.
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { buildSync, type Message } from "esbuild";

/** Project root: esbuild's working directory, so any path it mentions is relative to it. */
const PROJECT_ROOT = path.join(__dirname, "..");

/** The scope checker's Lambda entry point. Bundle it to `index.mjs`; handler string `index.handler`. */
export const SCOPE_CHECKER_ENTRY = path.join(PROJECT_ROOT, "lambdas", "scope-checker", "handler.ts");

/** The client-secret rotation function's entry point (bundled the same way). */
export const SECRET_ROTATION_ENTRY = path.join(PROJECT_ROOT, "lambdas", "secret-rotation", "handler.ts");

export interface LambdaBundleOptions {
  /** The handler's TypeScript entry file. */
  readonly entry: string;
  /** Where to write the bundle (`.mjs`, so Node loads it as ESM without a package.json). */
  readonly outFile: string;
}

export interface LambdaBundle {
  readonly outFile: string;
  readonly bytes: number;
  /** Hex SHA-256 of the bundle's bytes. */
  readonly sha256: string;
}

/** esbuild refused the entry: `Lambda bundle of <entry> failed: <file:line:col: message>; …`. */
export class LambdaBundleError extends Error {
  constructor(
    readonly entry: string,
    readonly problems: readonly string[],
  ) {
    super(`Lambda bundle of ${entry} failed: ${problems.join("; ")}`);
    this.name = "LambdaBundleError";
  }
}

function describe(message: Message): string {
  const where = message.location ? `${message.location.file}:${message.location.line}:${message.location.column + 1}: ` : "";
  return `${where}${message.text}`;
}

export function bundleLambda(options: LambdaBundleOptions): LambdaBundle {
  const entry = path.relative(PROJECT_ROOT, path.resolve(options.entry)) || options.entry;
  let contents: Uint8Array;
  try {
    const result = buildSync({
      absWorkingDir: PROJECT_ROOT,
      entryPoints: [entry],
      bundle: true,
      write: false,
      outfile: "index.mjs",
      format: "esm",
      platform: "node",
      target: "node22",
      // ESM builds of dependencies first, and the "node" branch of conditional imports
      // (aws-jwt-verify's #node-web-compat picks node:crypto, not WebCrypto).
      mainFields: ["module", "main"],
      conditions: ["node", "import"],
      minify: true,
      sourcemap: false,
      legalComments: "none",
      charset: "utf8",
      treeShaking: true,
      logLevel: "silent",
    });
    const [output] = result.outputFiles;
    if (!output) throw new LambdaBundleError(entry, ["esbuild produced no output"]);
    contents = output.contents;
  } catch (err) {
    if (err instanceof LambdaBundleError) throw err;
    const errors = (err as { errors?: Message[] }).errors;
    const problems = Array.isArray(errors) && errors.length > 0 ? errors.map(describe) : [err instanceof Error ? err.message : String(err)];
    throw new LambdaBundleError(entry, problems);
  }
  mkdirSync(path.dirname(options.outFile), { recursive: true });
  writeFileSync(options.outFile, contents);
  return { outFile: options.outFile, bytes: contents.byteLength, sha256: createHash("sha256").update(contents).digest("hex") };
}
