/**
 * The config as it was at a git ref, validated with today's rules: the "before" side of the
 * access diff. The tree at the ref is exported with `git archive` into a temporary directory
 * (the working tree, index and refs are never touched), its config read there as data (never
 * run), and the directory removed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve, sep } from "node:path";
import type { M2MModel } from "../model/model-types";
import { ConfigValidationError } from "../model/problems";
import { PROJECT_ROOT } from "../model/handler-exports";
import { validateConfig } from "../model/validate";
import { loadConfigModule } from "./config-loader";
import { BaseConfigError, BaseRefError, ConfigLoadError, firstLine } from "./errors";

/** An archive of a large tree still fits; anything bigger is not a config repository. */
const MAX_ARCHIVE_BYTES = 512 * 1024 * 1024;

function git(cwd: string, args: readonly string[]): { ok: boolean; stdout: Buffer; stderr: string } {
  const run = spawnSync("git", args, { cwd, maxBuffer: MAX_ARCHIVE_BYTES, env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } });
  if (run.error) return { ok: false, stdout: Buffer.alloc(0), stderr: run.error.message };
  return { ok: run.status === 0, stdout: run.stdout, stderr: run.stderr.toString("utf8").trim() };
}

/** Extracts the tree of `commit` into a new temporary directory and returns it. */
function exportTree(ref: string, top: string, commit: string): string {
  const archive = git(top, ["archive", "--format=tar", commit]);
  if (!archive.ok) throw new BaseRefError(ref, `git archive failed: ${firstLine(archive.stderr)}`);
  const dir = mkdtempSync(join(tmpdir(), "cognito-m2m-base-"));
  const untar = spawnSync("tar", ["-x", "-f", "-", "-C", dir], { input: archive.stdout, maxBuffer: MAX_ARCHIVE_BYTES });
  if (untar.error || untar.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new BaseRefError(ref, `could not unpack the tree: ${firstLine(untar.error ?? untar.stderr.toString("utf8"))}`);
  }
  return dir;
}

/**
 * The validated model of the config at `ref`. `configFile` is the working-tree config; the file at
 * the same path inside the repository is read from the ref.
 * @throws BaseRefError when the ref or the file at it cannot be read; BaseConfigError when it does not load or validate.
 */
export function loadModelAtRef(ref: string, configFile: string): M2MModel {
  if (ref === "" || ref.startsWith("-")) throw new BaseRefError(ref, "not a valid ref name");
  const configDir = resolve(configFile, "..");
  const topLevel = git(configDir, ["rev-parse", "--show-toplevel"]);
  if (!topLevel.ok) throw new BaseRefError(ref, `${configDir} is not inside a git repository`);
  const top = topLevel.stdout.toString("utf8").trim();
  const commit = git(top, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (!commit.ok) throw new BaseRefError(ref, "no such commit (in CI, check out with fetch-depth: 0 so the base branch is there)");
  const sha = commit.stdout.toString("utf8").trim();
  const pathInRepo = relative(top, resolve(configFile)).split(sep).join("/");
  if (!git(top, ["cat-file", "-e", `${sha}:${pathInRepo}`]).ok) throw new BaseRefError(ref, `${pathInRepo} does not exist there`);

  const dir = exportTree(ref, top, sha);
  try {
    // The old config may import packages (zod through model/, say): resolve them from this checkout.
    const modules = resolve(__dirname, "..", "node_modules");
    if (existsSync(modules) && !existsSync(join(dir, "node_modules"))) symlinkSync(modules, join(dir, "node_modules"), "junction");
    let raw: unknown;
    try {
      raw = loadConfigModule(join(dir, pathInRepo), pathInRepo);
    } catch (error) {
      if (error instanceof ConfigLoadError) throw new BaseConfigError(ref, `cannot be loaded: ${[error.reason, ...error.details].join("; ")}`);
      throw error;
    }
    try {
      // Handler files as they were at the ref, not as they are now.
      return validateConfig(raw, { projectRoot: join(dir, relative(top, PROJECT_ROOT)) });
    } catch (error) {
      if (error instanceof ConfigValidationError) {
        const count = error.problems.length;
        throw new BaseConfigError(ref, `fails today's validation (${count} problem${count === 1 ? "" : "s"}):`, error.problems);
      }
      throw error;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
