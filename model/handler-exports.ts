/**
 * Whether a handler file exists and exports a given name, decided without running it: esbuild
 * bundles the file in memory and its metafile lists the entry's exports (re-exports followed).
 * Whether the export is a function cannot be known without executing user code, so it is not
 * checked here; the offline environment and the Lambda runtime report that at the first call.
 * One look per file and modification time per process; an export list is also kept between
 * runs (.m2m/build/handler-exports/) with every file esbuild read for it, so a synth whose
 * handlers are unchanged never starts esbuild (50-150 ms of a default synth).
 */
import { mkdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import type { Message } from "esbuild";
import { esbuildVersion, recordInput, sha256, unchanged, writeAtomically, type RecordedInput } from "../cache/recorded-inputs";

/** Handler files are relative to the project root (the directory above model/). */
export const PROJECT_ROOT = path.join(__dirname, "..");

export type HandlerFileFacts =
  | { readonly kind: "missing" }
  | { readonly kind: "unbuildable"; readonly problem: string }
  | { readonly kind: "ok"; readonly exports: readonly string[] };

const cache = new Map<string, HandlerFileFacts>();

/** Where export lists are kept between runs (.m2m/ is the project's ignored build directory). */
export const HANDLER_EXPORTS_CACHE_DIR = path.join(PROJECT_ROOT, ".m2m", "build", "handler-exports");
const KEPT_FORMAT = 1;

interface KeptExports {
  readonly format: number;
  /** Files esbuild read (relative to the root it ran in) -> as they were. */
  readonly inputs: Readonly<Record<string, RecordedInput>>;
  readonly exports: readonly string[];
}

const keptFile = (root: string, file: string) => path.join(HANDLER_EXPORTS_CACHE_DIR, `${sha256(JSON.stringify({ format: KEPT_FORMAT, esbuild: esbuildVersion(), root, file }))}.json`);

function readKept(root: string, file: string): readonly string[] | undefined {
  try {
    const kept = JSON.parse(readFileSync(keptFile(root, file), "utf8")) as KeptExports;
    if (kept.format !== KEPT_FORMAT || !Array.isArray(kept.exports)) return undefined;
    return Object.entries(kept.inputs).every(([input, seen]) => unchanged(root, input, seen)) ? kept.exports : undefined;
  } catch {
    return undefined;
  }
}

function keepExports(root: string, file: string, exports: readonly string[], inputs: readonly string[]): void {
  const recorded: Record<string, RecordedInput> = {};
  for (const input of inputs) {
    const seen = recordInput(root, input);
    if (seen === undefined) return; // an input that cannot be read back cannot be checked: keep nothing
    recorded[input] = seen;
  }
  try {
    mkdirSync(HANDLER_EXPORTS_CACHE_DIR, { recursive: true });
    writeAtomically(keptFile(root, file), `${JSON.stringify({ format: KEPT_FORMAT, inputs: recorded, exports } satisfies KeptExports)}\n`);
  } catch {
    // A cache is an optimisation: without it the next run asks esbuild again.
  }
}

function describe(message: Message): string {
  const where = message.location ? `${message.location.file}:${message.location.line}:${message.location.column + 1}: ` : "";
  return `${where}${message.text}`;
}

/** `file` relative to the project root (`root`, default this checkout's), `/`-separated. */
export function handlerFileFacts(file: string, root: string = PROJECT_ROOT): HandlerFileFacts {
  const absolute = path.join(root, file);
  let stamp: string;
  try {
    const stat = statSync(absolute);
    if (!stat.isFile()) return { kind: "missing" };
    stamp = `${absolute}\0${stat.mtimeMs}\0${stat.size}`;
  } catch {
    return { kind: "missing" };
  }
  const known = cache.get(stamp);
  if (known) return known;
  const kept = readKept(root, file);
  if (kept !== undefined) {
    const facts: HandlerFileFacts = { kind: "ok", exports: kept };
    cache.set(stamp, facts);
    return facts;
  }
  let facts: HandlerFileFacts;
  try {
    // Loaded on first use: a config without Lambda backends never pays for esbuild.
    const { buildSync } = require("esbuild") as typeof import("esbuild");
    const result = buildSync({
      absWorkingDir: root,
      entryPoints: [file],
      bundle: true,
      write: false,
      metafile: true,
      outfile: "index.mjs",
      format: "esm",
      platform: "node",
      target: "node22",
      // Dependencies are not read: only the entry's own export list matters here.
      packages: "external",
      logLevel: "silent",
    });
    const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint !== undefined);
    facts = { kind: "ok", exports: output?.exports ?? [] };
    // Only local files are inputs (packages are external): a changed re-exported file is a changed input.
    keepExports(root, file, facts.exports, Object.keys(result.metafile.inputs));
  } catch (err) {
    const errors = (err as { errors?: Message[] }).errors;
    facts = { kind: "unbuildable", problem: Array.isArray(errors) && errors.length > 0 ? describe(errors[0]!) : err instanceof Error ? err.message : String(err) };
  }
  cache.set(stamp, facts);
  return facts;
}
