/**
 * Docs are code: every TypeScript block in README.md and docs/ says what it is on the line before
 * it, and every config snippet is read by the data reader (as `npm run synth` reads a config) and
 * VALIDATED against the default config, so a snippet pasted as the guide says passes validation:
 *
 *   <!-- config: whole -->                          a whole config file, validated alone
 *   <!-- config: merged -->                         top-level fields, merged into the default config
 *   <!-- config: merged into clients -->            entries appended to (or merged by name into) an array
 *   <!-- config: merged into apis.payments.routes -->   ... of a named element: apis[name = payments].routes
 *   <!-- config: merged into environments.prod -->  fields merged into a named element
 *   <!-- config: merged into examples/x/m2m.config.ts -->   top-level fields, merged into that config
 *   <!-- not config: why -->                        application code (a handler, the token client)
 *
 * Merging: objects merge field by field; in an array, an entry with the `name` of an existing one
 * (a route: the same `method` and `path`) merges into it, any other entry is appended; an array
 * of plain values (scopes, emails) replaces the one it meets.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { readConfigData } from "../../model/config-data-reader";
import { loadConfigFile } from "../../model/load-config";
import { validateConfig } from "../../model/validate";

const ROOT = path.join(__dirname, "..", "..");
const PAGES = ["README.md", ...fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

interface Block {
  readonly where: string;
  readonly marker: string | undefined;
  readonly text: string;
}

function tsBlocks(page: string): Block[] {
  const lines = fs.readFileSync(path.join(ROOT, page), "utf8").split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(ts|typescript)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const marker = /^\s*<!-- ((?:not )?config:[^>]*?) -->\s*$/.exec(lines[i - 1] ?? "")?.[1];
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]!); j++) body.push(lines[j]!.slice(open[1]!.length));
    blocks.push({ where: `${page}:${i + 1}`, marker, text: body.join("\n") });
    i = j;
  }
  return blocks;
}

const blocks = PAGES.flatMap(tsBlocks);
const configBlocks = blocks.filter((b) => b.marker?.startsWith("config:"));

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The same named entry, or the same route. */
function sameEntry(a: Record<string, Json>, b: Record<string, Json>): boolean {
  if (typeof b["name"] === "string") return a["name"] === b["name"];
  return typeof b["method"] === "string" && a["method"] === b["method"] && a["path"] === b["path"];
}

function merge(base: Json, extra: Json): Json {
  if (Array.isArray(base) && Array.isArray(extra) && extra.every(isObject)) {
    const out = [...base];
    for (const entry of extra) {
      const at = isObject(entry) ? out.findIndex((e) => isObject(e) && sameEntry(e, entry)) : -1;
      if (at >= 0) out[at] = merge(out[at], entry);
      else out.push(entry);
    }
    return out;
  }
  if (isObject(base) && isObject(extra)) {
    const out: Record<string, Json> = { ...base };
    for (const [key, value] of Object.entries(extra)) out[key] = key in out ? merge(out[key], value) : value;
    return out;
  }
  return extra;
}

/** `apis.payments.routes` + entries -> { apis: [{ name: "payments", routes: entries }] }. */
function nest(target: string, value: Json): Json {
  const [field, ...rest] = target.split(".");
  if (rest.length === 0) return { [field!]: value };
  const [name, ...deeper] = rest;
  const element = deeper.length === 0 ? { name, ...(value as Record<string, Json>) } : { name, ...(nest(deeper.join("."), value) as Record<string, Json>) };
  return { [field!]: [element] };
}

function read(text: string, as: "file" | "object" | "array"): Json {
  const source = as === "file" ? text : as === "object" ? `export default {\n${text}\n};` : `export default [\n${text}\n];`;
  const result = readConfigData("snippet.ts", source);
  if (!("value" in result)) throw new Error(`does not read as data: ${JSON.stringify(result)}`);
  return result.value;
}

function configOf(block: Block): Json {
  const kind = block.marker!.slice("config:".length).trim();
  if (kind === "whole") return read(block.text, "file");
  const base = loadConfigFile(path.join(ROOT, "m2m.config.ts"));
  if (kind === "merged") return merge(base, read(block.text, "object"));
  const file = /^merged into (\S+\.ts)$/.exec(kind)?.[1];
  if (file !== undefined) return merge(loadConfigFile(path.join(ROOT, file)), read(block.text, "object"));
  const into = /^merged into ([\w.-]+)$/.exec(kind)?.[1];
  if (into === undefined) throw new Error(`unknown marker "${block.marker}"`);
  const last = into.split(".").pop()!;
  const endsInArray = ["clients", "routes", "apis", "environments", "scopes"].includes(last);
  return merge(base, nest(into, read(block.text, endsInArray ? "array" : "object")));
}

test("every TypeScript block in the docs says whether it is a config snippet", () => {
  expect(blocks.filter((b) => b.marker === undefined).map((b) => b.where)).toEqual([]);
  expect(configBlocks.length).toBeGreaterThanOrEqual(8);
});

test.each(configBlocks.map((b) => [b.where, b.marker, b] as const))("%s (%s) validates against the default config", (_where, _marker, block) => {
  expect(() => validateConfig(configOf(block))).not.toThrow();
});

test("a snippet that does not fit the default config fails (the check can fail)", () => {
  const wrong: Block = { where: "test", marker: "config: merged into clients", text: `{ name: "x", description: "x", scopes: ["read"] },` };
  expect(() => validateConfig(configOf(wrong))).toThrow(/clients\[\d+\]\.scopes\[0\]/);
});
