/**
 * The files `npm run report` writes, as data (path relative to the output directory -> text),
 * so tests can check them without touching the disk, and the writer.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { M2MModel } from "../model/model-types";
import { renderAccessHtml } from "./access-html";
import { renderAccessMarkdown } from "./access-markdown";
import { modelAccess, modelPlatformAccess } from "./environment-access";
import { buildOpenApi } from "./openapi";
import { renderPlatformHtml } from "./platform-html";
import { renderPlatformMarkdown } from "./platform-markdown";

export const ACCESS_DIFF_FILE = "access-diff.md";
/** The several-API form's central view: every environment, API and client on one page, at the top of the output. */
export const CENTRAL_VIEW_FILE = "access.html";
/** Files the output directory holds at its top, beside the environments' directories. */
const TOP_LEVEL_FILES = [ACCESS_DIFF_FILE, CENTRAL_VIEW_FILE];

/** One API's OpenAPI document in the several-API form: `openapi-<api>.json` (API names are lowercase, digits and `-`). */
export function openApiFileName(api: string): string {
  return `openapi-${api}.json`;
}

export interface ReportFile {
  /** `/`-separated, relative to the output directory, e.g. `dev/access.html`. */
  readonly path: string;
  readonly content: string;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * One-API form, per environment: access.md, access.html, access.json (the matrix,
 * machine-readable) and openapi.json. Several APIs: per environment access.md (a section per
 * API), access.json (every API's access and every client across them) and one OpenAPI
 * document per API (`openapi-<api>.json`); and one access.html for all environments (the
 * central view, with search and filters).
 */
export function environmentReportFiles(model: M2MModel): ReportFile[] {
  if (model.layout === "multi-api") {
    const platforms = modelPlatformAccess(model);
    return [
      ...platforms.flatMap((platform) => [
        { path: `${platform.environment}/access.md`, content: renderPlatformMarkdown(platform) },
        { path: `${platform.environment}/access.json`, content: json(platform) },
        ...platform.apis.map((api) => ({ path: `${platform.environment}/${openApiFileName(api.apiName)}`, content: json(buildOpenApi(api)) })),
      ]),
      { path: CENTRAL_VIEW_FILE, content: renderPlatformHtml(platforms) },
    ];
  }
  return modelAccess(model).flatMap((access) => [
    { path: `${access.environment}/access.md`, content: renderAccessMarkdown(access) },
    { path: `${access.environment}/access.html`, content: renderAccessHtml(access) },
    { path: `${access.environment}/access.json`, content: json(access) },
    { path: `${access.environment}/openapi.json`, content: json(buildOpenApi(access)) },
  ]);
}

/**
 * Writes the files under `outDir`. Each environment's directory is replaced whole, the report
 * directories of environments no longer in the config (recognised by their access.json), a
 * stale access diff and a stale central view are removed, so an uploaded artifact never mixes runs.
 */
export function writeReportFiles(outDir: string, files: readonly ReportFile[]): void {
  const envDirs = new Set(files.filter((f) => f.path.includes("/")).map((f) => f.path.split("/")[0]!));
  const previous = existsSync(outDir)
    ? readdirSync(outDir, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(outDir, d.name, "access.json"))).map((d) => d.name)
    : [];
  for (const env of new Set([...envDirs, ...previous])) rmSync(join(outDir, env), { recursive: true, force: true });
  for (const top of TOP_LEVEL_FILES) if (!files.some((f) => f.path === top)) rmSync(join(outDir, top), { force: true });
  for (const file of files) {
    const target = join(outDir, ...file.path.split("/"));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content, "utf8");
  }
}
