/**
 * Team files that would be ignored are warned about with the fix: a folder of `*.m2m.ts` files
 * the config does not name, and a file in a team-files folder not named `<name>.m2m.ts`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { formatProblem } from "../../model/problems";
import { teamFileWarnings } from "../../model/team-file-warnings";
import { tempDir } from "../support/synth";

/** A project directory with these files (content irrelevant: nothing is loaded here). */
function project(files: readonly string[]): string {
  const dir = tempDir("team-files");
  for (const file of ["m2m.config.ts", ...files]) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), "export default {};\n");
  }
  return path.join(dir, "m2m.config.ts");
}
/** The main config's own API (no source file), and APIs loaded from these team files. */
const mainOnly = { apis: [{}] };
const loaded = (...files: string[]) => ({ apis: [{}, ...files.map((f) => ({ sourceFile: f }))] });
const warnings = (config: string, model: Parameters<typeof teamFileWarnings>[1]) => teamFileWarnings(config, model).map(formatProblem);

test("no apis/ folder, or one with only a .gitkeep and a README: nothing to say", () => {
  expect(warnings(project([]), mainOnly)).toEqual([]);
  expect(warnings(project(["apis/.gitkeep", "apis/README.md"]), mainOnly)).toEqual([]);
});

test("team files in apis/ that the config does not name", () => {
  expect(warnings(project(["apis/inventory.m2m.ts", "apis/orders.m2m.ts"]), mainOnly)).toEqual([
    'apis/: holds team files that are not loaded: m2m.config.ts does not name the folder (add apiFiles: "apis" to m2m.config.ts) (got ["inventory.m2m.ts","orders.m2m.ts"])',
  ]);
});

test("a file in a loaded team-files folder without .m2m in its name", () => {
  const config = project(["apis/orders.m2m.ts", "apis/inventory.ts", "apis/types.d.ts"]);
  expect(warnings(config, loaded("apis/orders.m2m.ts"))).toEqual([
    'apis/inventory.ts: is not loaded: only files named <name>.m2m.ts are team files (rename it to apis/inventory.m2m.ts) (got "inventory.ts")',
  ]);
});

test("the same file where no folder is named: the rename and the apiFiles line both", () => {
  expect(warnings(project(["apis/inventory.ts"]), mainOnly)).toEqual([
    'apis/inventory.ts: is not loaded: only files named <name>.m2m.ts are team files (rename it to apis/inventory.m2m.ts, with apiFiles: "apis" in m2m.config.ts) (got "inventory.ts")',
  ]);
});

test("another folder named by apiFiles is looked at too, and apis/ beside it still warned about", () => {
  const config = project(["teams/orders.m2m.ts", "teams/billing.js", "apis/inventory.m2m.ts"]);
  expect(warnings(config, loaded("teams/orders.m2m.ts"))).toEqual([
    'apis/: holds team files that are not loaded: m2m.config.ts does not name the folder (add apiFiles: "apis" to m2m.config.ts) (got ["inventory.m2m.ts"])',
    'teams/billing.js: is not loaded: only files named <name>.m2m.ts are team files (rename it to teams/billing.m2m.ts) (got "billing.js")',
  ]);
});

test("the per-team example loads every file of its folder: no warning", () => {
  expect(warnings(path.resolve(__dirname, "../../examples/per-team/m2m.config.ts"), loaded("apis/invoices.m2m.ts", "apis/orders.m2m.ts"))).toEqual([]);
});
