/**
 * The config is read as data (issue 21): the TypeScript parser's tree, never the file run. What
 * a config needs reads to the value it would evaluate to; anything that could make the value
 * differ by environment, date or machine is refused with file:line:column, all at once.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readConfigData } from "../../model/config-data-reader";
import { ConfigLoadError, loadConfigFile } from "../../model/load-config";
import { wordFailure } from "../../model/command-voice";

const ROOT = path.join(__dirname, "..", "..");

function read(text: string): unknown {
  const result = readConfigData("m2m.config.ts", text);
  if (!("value" in result)) throw new Error(`refused: ${JSON.stringify(result)}`);
  return result.value;
}

function problems(text: string): readonly string[] {
  const result = readConfigData("m2m.config.ts", text);
  if (!("problems" in result)) throw new Error(`read as data: ${JSON.stringify(result)}`);
  return result.problems;
}

/** The files users edit, read as data, equal the values TypeScript evaluates them to. */
test.each([
  ["m2m.config.ts"],
  ["examples/per-team/m2m.config.ts"],
  ["examples/per-team/apis/orders.m2m.ts"],
  ["examples/per-team/apis/invoices.m2m.ts"],
  ["__tests__/fixtures/single-api.config.ts"],
])("%s reads as data, to the value it evaluates to", (file) => {
  const full = path.join(ROOT, file);
  const result = readConfigData(file, fs.readFileSync(full, "utf8"));
  expect(result).not.toHaveProperty("problems");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const evaluated = (require(full) as { default: unknown }).default;
  expect((result as { value: unknown }).value).toStrictEqual(evaluated);
});

test("the literal subset: helpers, as const, satisfies, comments, local consts by name, shorthand and spread", () => {
  const value = read(`
    import { defineConfig } from "./model/config-types";
    import type { M2MConfigInput } from "./model/config-types";
    type Scope = string;
    // comments are fine
    const owners = ["@acme/platform"] as const;
    const common = { region: "eu-west-1", stageName: \`dev\` };
    const read = { name: "read", description: "Read" } satisfies { name: Scope; description: string };
    export default defineConfig({
      name: "demo",
      owners,
      apis: [{ name: "a", scopes: [read, ...[{ name: "w", description: "W" }]], limit: -1, big: 1_000, hex: 0x10, ok: true, no: false, nothing: null }],
      environments: [{ ...common, name: "dev", "domain-prefix": 'x' }],
    } as M2MConfigInput);
  `);
  expect(value).toStrictEqual({
    name: "demo",
    owners: ["@acme/platform"],
    apis: [{ name: "a", scopes: [{ name: "read", description: "Read" }, { name: "w", description: "W" }], limit: -1, big: 1000, hex: 16, ok: true, no: false, nothing: null }],
    environments: [{ region: "eu-west-1", stageName: "dev", name: "dev", "domain-prefix": "x" }],
  });
});

test("spread then override applies in order, as JavaScript does; a key written twice is refused", () => {
  expect(read('const common = { name: "x", region: "eu-west-1" };\nexport default { ...common, name: "dev" };')).toStrictEqual({ name: "dev", region: "eu-west-1" });
  expect(problems('export default { name: "a", ...{ region: "b" }, name: "c" };')).toEqual([expect.stringMatching(/^m2m\.config\.ts:1:49: the key name is given twice/)]);
});

test("nesting deep enough to exhaust the stack is one readable line", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "m2m-reader-"));
  fs.writeFileSync(path.join(dir, "m2m.config.ts"), `export default ${"[".repeat(20000)}${"]".repeat(20000)};\n`);
  expect(() => loadConfigFile(path.join(dir, "m2m.config.ts"))).toThrow(/is nested too deeply to read|is not a config object/);
});

test("a binding used twice gives two separate values (no shared objects between entries)", () => {
  const value = read(`const env = { tags: { a: "1" } }; export default { environments: [{ ...env, name: "a" }, { ...env, name: "b" }], e: env, f: env };`) as { e: { tags: object }; f: { tags: object } };
  expect(value.e).toStrictEqual(value.f);
  expect(value.e.tags).not.toBe(value.f.tags);
});

describe("hole 4 of issue 21: a config that reads the environment is refused, with file:line:column", () => {
  // Each of these loaded and was reported as "No access changes" before: the grant differs by environment.
  test.each([
    ['...(global.process.env.M2M_ENV === "prod" ? ["payments:read"] : [])', "m2m.config.ts:3:36: a conditional (global.process.env.M2M_ENV"],
    ['...(global["pro" + "cess"].env.X ? ["payments:read"] : [])', "m2m.config.ts:3:36: a conditional (global["],
    ["...(process.env.X ? [\"payments:read\"] : [])", "m2m.config.ts:3:36: a conditional"],
    ["...extra()", "m2m.config.ts:3:35: a call (extra())"],
    ["...[`payments:${globalThis.SCOPE}`]", "m2m.config.ts:3:36: a template literal with ${...}"],
    ["...(new Date().getDay() === 0 ? [\"payments:read\"] : [])", "m2m.config.ts:3:36: a conditional (new Date()"],
  ])("scopes: [%s]", (grant, expected) => {
    const text = `export default {\n  clients: [\n    { scopes: ["content:read", ${grant}] },\n  ],\n};\n`;
    const found = problems(text);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(expected);
  });

  test("every statement that is code at once: imports, let, functions, a call not imported", () => {
    const found = problems(
      [
        'import { readFileSync } from "node:fs";',
        'import "./side-effect";',
        "let x = 1;",
        "function f() { return 1; }",
        'export default defineConfig({ name: "a" });',
      ].join("\n"),
    );
    expect(found).toEqual([
      expect.stringMatching(/^m2m\.config\.ts:1:10: imports readFileSync from node:fs/),
      expect.stringMatching(/^m2m\.config\.ts:2:1: a side-effect import/),
      expect.stringMatching(/^m2m\.config\.ts:3:1: only const bindings/),
      expect.stringMatching(/^m2m\.config\.ts:4:1: a function or class/),
      // defineConfig was not imported from the helpers' module, so it is an ordinary call.
      expect.stringMatching(/^m2m\.config\.ts:5:16: a call \(defineConfig\(\)\)/),
    ]);
  });

  test("inside an imported defineConfig, each property is reported", () => {
    const found = problems(
      [
        'import { defineConfig } from "../../model/config-types";',
        "export default defineConfig({",
        "  get name() { return process.env.NAME; },",
        "  [`own${'ers'}`]: [],",
        "  region: REGION,",
        "  when: Date.now(),",
        "  undef: undefined,",
        "  list: [1, , 2],",
        "  name2: global.process.env.X,",
        "  __proto__: { admin: true },",
        '  same: 1, "same": 2,',
        "});",
      ].join("\n"),
    );
    expect(found.map((p) => p.replace(/: .*/, ""))).toEqual(["3:3", "4:3", "5:11", "6:9", "7:10", "8:9", "9:10", "10:3", "11:12"].map((l) => `m2m.config.ts:${l}`));
    expect(found.join("\n")).toMatch(/getter or setter/);
    expect(found.join("\n")).toMatch(/computed key/);
    expect(found.join("\n")).toMatch(/identifier REGION is not a const/);
    expect(found.join("\n")).toMatch(/a call \(Date.now\(\)\)/);
    expect(found.join("\n")).toMatch(/identifier undefined/);
    expect(found.join("\n")).toMatch(/hole/);
    expect(found.join("\n")).toMatch(/global.process.env.X reads a value at run time/);
    expect(found.join("\n")).toMatch(/__proto__/);
    expect(found.join("\n")).toMatch(/the key same is given twice/);
  });

  test("a const bound to code is reported once, not again at each use", () => {
    const found = problems('const scopes = process.env.S;\nexport default { clients: [{ scopes }, { scopes }] };');
    expect(found).toEqual([expect.stringMatching(/^m2m\.config\.ts:1:16: process\.env\.S reads a value at run time/)]);
  });

  test("a syntax error is reported as one, with its place", () => {
    expect(problems("export default {\n  api: ,\n};\n")).toEqual([expect.stringMatching(/^m2m\.config\.ts:2:8: syntax error: /)]);
  });

  test("nothing in the file runs while it is read", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "m2m-reader-"));
    const marker = path.join(dir, "ran");
    const file = path.join(dir, "m2m.config.ts");
    fs.writeFileSync(file, `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "x");\nexport default { name: "a" };\n`);
    let error: unknown;
    try {
      loadConfigFile(file);
    } catch (e) {
      error = e;
    }
    expect(fs.existsSync(marker)).toBe(false);
    expect(error).toBeInstanceOf(ConfigLoadError);
    const lines = wordFailure(error).lines;
    expect(lines[0]).toBe(`cannot load ${file}: is read as data, never run, and 1 construct is not data (write the values out, or generate this file: docs/configure.md, "Computed configs")`);
    expect(lines[1]).toMatch(/^ {2}.*m2m\.config\.ts:1:1: a ExpressionStatement statement is code, not data$/);
  });
});

test("a team file is read as data too, and named in its problems", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "m2m-reader-"));
  fs.mkdirSync(path.join(dir, "apis"));
  fs.writeFileSync(path.join(dir, "m2m.config.ts"), 'export default { name: "acme", owners: ["@a/b"], apiFiles: "apis", environments: [] };\n');
  fs.writeFileSync(path.join(dir, "apis", "orders.m2m.ts"), 'export default { name: "orders", owners: [process.env.OWNER] };\n');
  let error: unknown;
  try {
    loadConfigFile(path.join(dir, "m2m.config.ts"));
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigLoadError);
  expect((error as ConfigLoadError).details).toEqual([expect.stringMatching(/^apis\/orders\.m2m\.ts:1:43: process\.env\.OWNER reads a value at run time/)]);
});

test("a config file that is a link is refused (the bytes reviewed must be the file's own)", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "m2m-reader-"));
  fs.writeFileSync(path.join(dir, "real.ts"), "export default { name: 'a' };\n");
  fs.symlinkSync(path.join(dir, "real.ts"), path.join(dir, "m2m.config.ts"));
  expect(() => loadConfigFile(path.join(dir, "m2m.config.ts"))).toThrow(/is not a regular file/);
});
