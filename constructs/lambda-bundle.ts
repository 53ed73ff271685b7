/**
 * Bundles a Lambda handler (the scope checker, or a backend handler under backends/) with
 * esbuild, synchronously, as part of synth: one ESM file for Node.js 22, minified, no legal
 * comments. Source-map policy: none, for every bundle. A map would double the archive, and
 * inlined or uploaded it would hold the sources' paths; a stack trace in CloudWatch points into
 * the minified bundle, and the same handler runs from its TypeScript source, with readable
 * traces, in the offline environment (`m2m dev`). The output is deterministic (same
 * sources, same bytes on every machine: no absolute paths, no timestamps), so the archive's
 * hash and the Terraform plan only change when the code does.
 *
 * Bundling costs ~60-250 ms of esbuild per handler at every synth (a process start each, and
 * the rotation function's AWS SDK), most of a synth's time. So a bundle is kept
 * (.m2m/build/lambda/) with the list of every file esbuild read for it (its metafile's inputs,
 * with their content hashes), under a key of esbuild's version, the options and the entry: a
 * later synth whose inputs all still hash the same copies the kept bytes, which are the bytes
 * esbuild would produce again (a deterministic build of the same inputs), and never starts
 * esbuild. Any changed, added-by-import or removed input means a real build; so does a changed
 * package-lock.json or tsconfig.json (they steer resolution without being inputs).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { BuildOptions, Message } from "esbuild";
import { esbuildVersion, recordInput, sha256, unchanged, writeAtomically, type RecordedInput } from "../cache/recorded-inputs";
import type { BackendFunction } from "../model/model-types";

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
  /**
   * Where bundles are kept between builds, keyed by their inputs' content; `null`: always run
   * esbuild (and keep nothing). @default `<project>/.m2m/build/lambda`
   */
  readonly cacheDir?: string | null;
}

export interface LambdaBundle {
  readonly outFile: string;
  readonly bytes: number;
  /** Hex SHA-256 of the bundle's bytes. */
  readonly sha256: string;
  /** The bytes came from the cache (every input unchanged since they were built): esbuild did not run. */
  readonly fromCache: boolean;
}

/** Default home of kept bundles (.m2m/ is the project's ignored build directory). */
const LAMBDA_BUNDLE_CACHE_DIR = path.join(PROJECT_ROOT, ".m2m", "build", "lambda");

/** Bumped when what a cache record means changes: older records then never match. */
const CACHE_FORMAT = 1;

/** Files that steer esbuild's resolution without being inputs of the bundle. */
const RESOLUTION_FILES = ["package-lock.json", "tsconfig.json"];

interface CacheRecord {
  readonly format: number;
  /** Project-relative path (as esbuild's metafile names it) -> the file as it was read. */
  readonly inputs: Readonly<Record<string, RecordedInput>>;
  /** SHA-256 of the kept bytes: a damaged or half-written bundle file is never used. */
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

function buildOptions(entry: string): BuildOptions & { readonly write: false; readonly metafile: true } {
  return {
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
    // Lambda imports an `.mjs` handler as an ES module, where `require` does not exist; CommonJS
    // code inside the bundle (parts of the AWS SDK require node:crypto, node:stream, ...) calls
    // esbuild's require shim, which throws "Dynamic require of ... is not supported" at load
    // unless a `require` is in scope. Defined from this module's own URL, it resolves only
    // Node's built-ins (the bundle holds everything else). ESM is kept, not CJS: the scope
    // checker's dependencies ship ESM builds, and `.mjs` needs no package.json to say so.
    banner: { js: 'import { createRequire as __m2mCreateRequire } from "node:module"; const require = __m2mCreateRequire(import.meta.url);' },
    logLevel: "silent",
    // Lists every file read: the cache's inputs. It does not change the output bytes.
    metafile: true,
  };
}

/** Cache key: esbuild's version, the build options, the entry and the cache format. */
function cacheKey(entry: string, options: BuildOptions, version: string): string {
  return sha256(JSON.stringify({ format: CACHE_FORMAT, esbuildVersion: version, options: { ...options, absWorkingDir: undefined }, entry }));
}

function readCached(cacheDir: string, key: string): Uint8Array | undefined {
  let kept: CacheRecord;
  let bytes: Buffer;
  try {
    kept = JSON.parse(readFileSync(path.join(cacheDir, `${key}.json`), "utf8")) as CacheRecord;
    if (kept.format !== CACHE_FORMAT) return undefined;
    if (!Object.entries(kept.inputs).every(([file, seen]) => unchanged(PROJECT_ROOT, file, seen))) return undefined;
    bytes = readFileSync(path.join(cacheDir, `${key}.mjs`));
  } catch {
    return undefined;
  }
  return sha256(bytes) === kept.sha256 ? bytes : undefined;
}

function keep(cacheDir: string, key: string, contents: Uint8Array, inputs: readonly string[]): void {
  const recorded: Record<string, RecordedInput> = {};
  for (const file of [...RESOLUTION_FILES, ...inputs]) {
    const seen = recordInput(PROJECT_ROOT, file);
    // An input that cannot be read back (a virtual module) cannot be checked: keep nothing.
    if (seen === undefined && !RESOLUTION_FILES.includes(file)) return;
    recorded[file] = seen ?? { stamp: "missing", sha256: "missing" };
  }
  try {
    mkdirSync(cacheDir, { recursive: true });
    // Bytes first, record second: a record never names bytes that are not there yet.
    writeAtomically(path.join(cacheDir, `${key}.mjs`), contents);
    writeAtomically(path.join(cacheDir, `${key}.json`), `${JSON.stringify({ format: CACHE_FORMAT, inputs: recorded, sha256: sha256(contents) } satisfies CacheRecord)}\n`);
  } catch {
    // A cache is an optimisation: without it the next synth bundles again.
  }
}

export function bundleLambda(options: LambdaBundleOptions): LambdaBundle {
  const entry = path.relative(PROJECT_ROOT, path.resolve(options.entry)) || options.entry;
  const cacheDir = options.cacheDir === undefined ? LAMBDA_BUNDLE_CACHE_DIR : options.cacheDir;
  const build = buildOptions(entry);
  const key = cacheKey(entry, build, esbuildVersion());
  const cached = cacheDir === null ? undefined : readCached(cacheDir, key);
  let contents: Uint8Array;
  if (cached !== undefined) contents = cached;
  else {
    try {
      // Loaded on first use: a synth whose bundles are all cached never starts esbuild.
      const { buildSync } = require("esbuild") as typeof import("esbuild");
      const result = buildSync(build);
      const [output] = result.outputFiles;
      if (!output) throw new LambdaBundleError(entry, ["esbuild produced no output"]);
      contents = output.contents;
      if (cacheDir !== null) keep(cacheDir, key, contents, Object.keys(result.metafile.inputs).sort());
    } catch (err) {
      if (err instanceof LambdaBundleError) throw err;
      const errors = (err as { errors?: Message[] }).errors;
      const problems = Array.isArray(errors) && errors.length > 0 ? errors.map(describe) : [err instanceof Error ? err.message : String(err)];
      throw new LambdaBundleError(entry, problems);
    }
  }
  mkdirSync(path.dirname(options.outFile), { recursive: true });
  writeFileSync(options.outFile, contents);
  return { outFile: options.outFile, bytes: contents.byteLength, sha256: sha256(contents), fromCache: cached !== undefined };
}

/** Bundles every backend function once, to `<dir>/<key>/index.mjs`; the bundle files by function key. */
export function bundleBackendFunctions(functions: readonly BackendFunction[], dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const fn of functions) {
    files.set(fn.key, bundleLambda({ entry: path.join(PROJECT_ROOT, fn.file), outFile: path.join(dir, fn.key, "index.mjs") }).outFile);
  }
  return files;
}
