/**
 * The files `npm run report` writes, as data (path relative to the output directory -> text),
 * so tests can check them without touching the disk, and the writer.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { M2MModel } from "../model/model-types";
import { renderAccessHtml } from "./access-html";
import { renderAccessMarkdown } from "./access-markdown";
import { modelAccess } from "./environment-access";
import { buildOpenApi } from "./openapi";

export const ACCESS_DIFF_FILE = "access-diff.md";

export interface ReportFile {
  /** `/`-separated, relative to the output directory, e.g. `dev/access.html`. */
  readonly path: string;
  readonly content: string;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Per environment: access.md, access.html, access.json (the matrix, machine-readable) and openapi.json. */
export function environmentReportFiles(model: M2MModel): ReportFile[] {
  return modelAccess(model).flatMap((access) => [
    { path: `${access.environment}/access.md`, content: renderAccessMarkdown(access) },
    { path: `${access.environment}/access.html`, content: renderAccessHtml(access) },
    { path: `${access.environment}/access.json`, content: json(access) },
    { path: `${access.environment}/openapi.json`, content: json(buildOpenApi(access)) },
  ]);
}

/**
 * Writes the files under `outDir`. Each environment's directory is replaced whole, the report
 * directories of environments no longer in the config (recognised by their access.json) and a
 * stale access diff are removed, so an uploaded artifact never mixes runs.
 */
export function writeReportFiles(outDir: string, files: readonly ReportFile[]): void {
  const envDirs = new Set(files.map((f) => f.path.split("/")[0]!).filter((first) => first !== ACCESS_DIFF_FILE));
  const previous = existsSync(outDir)
    ? readdirSync(outDir, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(outDir, d.name, "access.json"))).map((d) => d.name)
    : [];
  for (const env of new Set([...envDirs, ...previous])) rmSync(join(outDir, env), { recursive: true, force: true });
  if (!files.some((f) => f.path === ACCESS_DIFF_FILE)) rmSync(join(outDir, ACCESS_DIFF_FILE), { force: true });
  for (const file of files) {
    const target = join(outDir, ...file.path.split("/"));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content, "utf8");
  }
}
