/**
 * bin/compiled-entry.js, in a scratch project (a copy of it beside a tiny TypeScript entry): the
 * bundle is built once, reused while its sources are unchanged (even when touched), rebuilt when
 * one changes, and a TypeScript config loads through bin/ts-require.js.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "../..");
let project: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "m2m-compiled-"));
  mkdirSync(join(project, "bin"));
  for (const file of ["compiled-entry.js", "cdktn-patches.js", "ts-require.js"]) copyFileSync(join(ROOT, "bin", file), join(project, "bin", file));
  symlinkSync(join(ROOT, "node_modules"), join(project, "node_modules"));
  writeFileSync(join(project, "package-lock.json"), "{}\n");
  writeFileSync(join(project, "greeting.ts"), 'export const greeting: string = "hello";\n');
  writeFileSync(
    join(project, "app.ts"),
    'import { greeting } from "./greeting";\nrequire("./bin/ts-require").install();\nconst config = require(process.env.CONFIG as string).default as { name: string };\nconsole.log(`${greeting} ${config.name} ${require("node:path").basename(__dirname)}`);\n',
  );
  writeFileSync(join(project, "my.config.ts"), 'const name: string = "config";\nexport default { name };\n');
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

function start(): string {
  const r = spawnSync(process.execPath, ["-e", 'require("./bin/compiled-entry").loadCompiled("app", "app.ts")'], { cwd: project, encoding: "utf8", env: { ...process.env, CONFIG: join(project, "my.config.ts") } });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

const bundle = () => join(project, ".m2m", "build", "app.js");

test("built once, reused unchanged (also when touched), rebuilt after a change; __dirname is the source's", () => {
  expect(start()).toBe(`hello config ${project.split("/").pop()}\n`);
  const built = statSync(bundle()).mtimeMs;
  utimesSync(join(project, "greeting.ts"), new Date(), new Date(Date.now() + 5000));
  expect(start()).toBe(`hello config ${project.split("/").pop()}\n`);
  expect(statSync(bundle()).mtimeMs).toBe(built);
  expect(statSync(`${bundle()}.v8cache`).size).toBeGreaterThan(0);

  writeFileSync(join(project, "greeting.ts"), 'export const greeting: string = "hi";\n');
  expect(start()).toBe(`hi config ${project.split("/").pop()}\n`);
  expect(statSync(bundle()).mtimeMs).not.toBe(built);
});
