/**
 * Team files that will not be loaded, found next to the config: warnings with the fix, printed by
 * every command that loads the config from its file (synth, m2m dev, report, check:security).
 * The loader reads `<apiFiles>/*.m2m.ts` and nothing else, so two slips would otherwise pass in
 * silence, the new API simply absent from the stacks:
 * - a folder of team files the config does not name (`apis/` without `apiFiles: "apis"`);
 * - a file in a team-files folder whose name does not end in `.m2m.ts` (`apis/inventory.ts`).
 * The folders looked at: `apis/` (the conventional one, README "Onboarding a team's API") and
 * each folder a loaded team file came from.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import * as path from "node:path";
import type { Api } from "./model-types";
import type { ConfigProblem } from "./problems";

/** The folder name the README's onboarding guide uses. */
export const CONVENTIONAL_TEAM_FOLDER = "apis";

const TEAM_FILE = /\.m2m\.ts$/;
/** Modules a team may have meant as a team file: TypeScript or JavaScript, not declarations. */
const MODULE = /\.(ts|mts|cts|js|mjs|cjs)$/;

function filesIn(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir).filter((name) => statSync(path.join(dir, name)).isFile()).sort();
}

/** `apis/orders.m2m.ts` -> `apis`: the folders, relative to the config, that team files were loaded from. */
/** What is read of the model: where each API came from. */
type ApiSources = { readonly apis: readonly Pick<Api, "sourceFile">[] };

const loadedFolders = (model: ApiSources) => new Set(model.apis.flatMap((a) => (a.sourceFile === undefined ? [] : [path.posix.dirname(a.sourceFile)])));

export function teamFileWarnings(configFile: string, model: ApiSources): ConfigProblem[] {
  const base = path.dirname(path.resolve(configFile));
  const configName = path.basename(configFile);
  const loaded = loadedFolders(model);
  const warnings: ConfigProblem[] = [];
  for (const folder of [...new Set([CONVENTIONAL_TEAM_FOLDER, ...loaded])].sort()) {
    const files = filesIn(path.join(base, folder));
    const teamFiles = files.filter((f) => TEAM_FILE.test(f));
    const named = loaded.has(folder);
    if (!named && teamFiles.length > 0) {
      warnings.push({
        path: `${folder}/`,
        rule: `holds team files that are not loaded: ${configName} does not name the folder (add apiFiles: "${folder}" to ${configName})`,
        value: teamFiles,
      });
    }
    for (const stray of files.filter((f) => MODULE.test(f) && !TEAM_FILE.test(f) && !f.endsWith(".d.ts"))) {
      const renamed = `${folder}/${stray.replace(MODULE, "")}.m2m.ts`;
      warnings.push({
        path: `${folder}/${stray}`,
        rule: `is not loaded: only files named <name>.m2m.ts are team files (rename it to ${renamed}${named ? "" : `, with apiFiles: "${folder}" in ${configName}`})`,
        value: stray,
      });
    }
  }
  return warnings;
}
