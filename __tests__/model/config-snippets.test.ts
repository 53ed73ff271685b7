/**
 * Every config snippet in the documentation reads as data (issue 21): a reader copying one into
 * m2m.config.ts gets a file the data reader accepts. Snippets are fragments (a client, routes,
 * fields of an environment), so each is read inside an object and inside an array; one of the
 * two must accept it. Blocks of application code (imports, `await`, functions) are not configs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { readConfigData } from "../../model/config-data-reader";

const ROOT = path.join(__dirname, "..", "..");
const DOCS = ["README.md", ...fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

function tsBlocks(file: string): { line: number; text: string }[] {
  const lines = fs.readFileSync(path.join(ROOT, file), "utf8").split("\n");
  const out: { line: number; text: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(ts|typescript)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]!); j++) body.push(lines[j]!.slice(open[1]!.length));
    out.push({ line: i + 1, text: body.join("\n") });
    i = j;
  }
  return out;
}

const isApplicationCode = (text: string) => /\bawait\b|\bexport (async )?function\b|^import .* from "\.\/(client|local)"|from "\.\.\/backends/m.test(text);

const snippets = DOCS.flatMap((file) => tsBlocks(file).filter((b) => !isApplicationCode(b.text)).map((b) => [`${file}:${b.line}`, b.text] as const));

test("the documentation has config snippets to check", () => {
  expect(snippets.length).toBeGreaterThanOrEqual(7);
});

test.each(snippets)("%s reads as data", (_where, text) => {
  const whole = readConfigData("snippet.ts", text);
  if ("value" in whole || "noDefaultExport" in whole) return;
  const asObject = readConfigData("snippet.ts", `export default {\n${text}\n};`);
  const asArray = readConfigData("snippet.ts", `export default [\n${text}\n];`);
  expect("value" in asObject || "value" in asArray ? [] : { asObject, asArray }).toEqual([]);
});
