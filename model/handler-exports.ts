/**
 * Whether a handler file exists and exports a given name, decided without running it: esbuild
 * bundles the file in memory and its metafile lists the entry's exports (re-exports followed).
 * Whether the export is a function cannot be known without executing user code, so it is not
 * checked here; the offline environment and the Lambda runtime report that at the first call.
 * One look per file and modification time per process.
 */
import { statSync } from "node:fs";
import * as path from "node:path";
import type { Message } from "esbuild";

/** Handler files are relative to the project root (the directory above model/). */
export const PROJECT_ROOT = path.join(__dirname, "..");

export type HandlerFileFacts =
  | { readonly kind: "missing" }
  | { readonly kind: "unbuildable"; readonly problem: string }
  | { readonly kind: "ok"; readonly exports: readonly string[] };

const cache = new Map<string, HandlerFileFacts>();

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
  } catch (err) {
    const errors = (err as { errors?: Message[] }).errors;
    facts = { kind: "unbuildable", problem: Array.isArray(errors) && errors.length > 0 ? describe(errors[0]!) : err instanceof Error ? err.message : String(err) };
  }
  cache.set(stamp, facts);
  return facts;
}
