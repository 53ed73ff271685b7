/**
 * Files a build read, recorded so a later run can tell, cheaply, whether any changed: each file's
 * size and mtime (checked with one stat) and its content hash (read only when the stat differs:
 * a touched file, or a fresh checkout). The Lambda bundles (constructs/lambda-bundle.ts) and the
 * handler-export checks (model/handler-exports.ts) keep their results under such records.
 */
import { createHash } from "node:crypto";
import { readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";

/** One file as it was read: size and mtime, and content hash. */
export interface RecordedInput {
  readonly stamp: string;
  readonly sha256: string;
}

export const sha256 = (bytes: Uint8Array | string): string => createHash("sha256").update(bytes).digest("hex");

/** `size:mtime` of a file relative to `root`, or undefined when it is gone. */
function stampOf(root: string, file: string): string | undefined {
  try {
    const { size, mtimeMs } = statSync(path.resolve(root, file));
    return `${size}:${mtimeMs}`;
  } catch {
    return undefined;
  }
}

function hashOf(root: string, file: string): string | undefined {
  try {
    return sha256(readFileSync(path.resolve(root, file)));
  } catch {
    return undefined;
  }
}

/** The same file as recorded: same stamp (a stat, no read), or else same content. */
export function unchanged(root: string, file: string, recorded: RecordedInput): boolean {
  return stampOf(root, file) === recorded.stamp || hashOf(root, file) === recorded.sha256;
}

/** The file as it is now, or undefined when it cannot be read. */
export function recordInput(root: string, file: string): RecordedInput | undefined {
  const stamp = stampOf(root, file);
  const hash = hashOf(root, file);
  return stamp === undefined || hash === undefined ? undefined : { stamp, sha256: hash };
}

/** Temp file, then rename: a concurrent reader (jest workers) sees the old file or the new one, never half of one. */
export function writeAtomically(file: string, contents: Uint8Array | string): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, contents);
  renameSync(temp, file);
}

/** esbuild's version, read from its package.json without loading esbuild (a cache hit never does). */
let version: string | undefined;
export function esbuildVersion(): string {
  return (version ??= (JSON.parse(readFileSync(require.resolve("esbuild/package.json"), "utf8")) as { version: string }).version);
}
