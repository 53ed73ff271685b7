/**
 * The plan guard's allow-list (.github/plan-guard/allow-list.json) is exactly what the project
 * synthesizes: every stack of the default and all-options configs passes the guard, and the
 * list holds nothing those stacks do not use (it is re-derived here and compared whole).
 * Also the strict JSON reader and the template reader the guard, check:security and the
 * reports share.
 */
import { readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { tempDir } from "../support/synth";
import { allowListText, projectStacks } from "../../scripts/plan-guard-allow-list";

const ROOT = resolve(__dirname, "..", "..");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const guard = require(join(ROOT, ".github", "plan-guard", "check-plan-input.js")) as {
  inspectStack(dir: string): { problems: string[] };
  ALLOW_LIST_FILE: string;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseStrictJson } = require(join(ROOT, ".github", "plan-guard", "strict-json.js")) as { parseStrictJson(text: string): unknown };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { readTemplateString } = require(join(ROOT, ".github", "plan-guard", "template-expressions.js")) as {
  readTemplateString(text: string): { calls: string[]; hasExpressions: boolean };
};

const stacks = projectStacks();

describe("plan guard allow-list", () => {
  it("is exactly what the synthesized stacks use (nothing more, nothing less)", () => {
    expect(readFileSync(guard.ALLOW_LIST_FILE, "utf8")).toBe(allowListText(stacks));
    expect(Object.keys(stacks).sort()).toEqual([
      "all-options/live", "default/dev", "default/prod", "moved-from-single-api/dev", "moved-from-single-api/prod",
      "partner-edge/dev", "partner-edge/prod", "per-team/dev", "per-team/prod", "single-api/dev", "single-api/prod",
    ]);
  });

  it("allows the moved blocks of a switch from the one-API form, and only through them", () => {
    const allowList = JSON.parse(readFileSync(guard.ALLOW_LIST_FILE, "utf8"));
    expect(JSON.stringify(allowList)).toContain('"moved"');
    expect(Object.keys(stacks["moved-from-single-api/dev"] as object)).toContain("moved");
    expect(Object.keys(stacks["default/dev"] as object)).not.toContain("moved");
  });

  it("passes every synthesized stack with remote state (dev's local state is refused for its backend only)", () => {
    for (const [name, doc] of Object.entries(stacks)) {
      const dir = join(tempDir("allow"), name.split("/")[1]!);
      mkdirSync(dir);
      writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(doc));
      const { problems } = guard.inspectStack(dir);
      if (name.endsWith("/dev")) expect(problems).toEqual([expect.stringMatching(/backend must be one s3 backend/)]);
      else expect([name, problems]).toEqual([name, []]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("strict JSON reader", () => {
  it("reads what JSON.parse reads", () => {
    const text = JSON.stringify({ a: [1, -2.5e3, true, null, "é\n\u0001"], b: { "c d": {}, __proto__x: [] } });
    expect(parseStrictJson(text)).toEqual(JSON.parse(text));
  });

  it("refuses a repeated key anywhere, naming its path", () => {
    expect(() => parseStrictJson('{"a": {"b": 1, "b": 2}}')).toThrow(/duplicate key "b" .* at \$\.a\.b/);
    expect(() => parseStrictJson('[{"x": 1}, {"y": 1, "y": 1}]')).toThrow(/at \$\[1\]\.y/);
    // Equal after escapes: Terraform compares decoded keys.
    expect(() => parseStrictJson('{"data": 1, "d\\u0061ta": 2}')).toThrow(/duplicate key "data"/);
  });

  it("keeps __proto__ an ordinary key, and refuses what RFC 8259 refuses", () => {
    const value = parseStrictJson('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    for (const bad of ["{'a': 1}", '{"a": 1,}', "[1,]", "NaN", '{"a": 1} x', "\ufeff{}", '"\t"', "01"]) expect(() => parseStrictJson(bad)).toThrow();
  });
});

describe("template reader", () => {
  it.each([
    ["plain text", [], false],
    ["${jsonencode({a = \"x}\", b = aws_x.y.arn})}", ["jsonencode"], true],
    ["$${file(\"x\")} is literal", [], false],
    ["${ file ( \"/p\" ) }", ["file"], true],
    ["${\"${base64gzip(x)}\"}", ["base64gzip"], true],
    ["${provider::evil::run(\"x\")}", ["provider::evil::run"], true],
    ["a${x.y[0]}b${sha1(\"${y}\")}", ["sha1"], true],
  ])("reads %s", (text, calls, hasExpressions) => {
    expect(readTemplateString(text)).toEqual({ calls, hasExpressions });
  });

  it.each([
    ["${templatestring/**/(\"x\")}", /comments/],
    ["${templatestring#\n(\"x\")}", /comments/],
    ["${x // c\n}", /comments/],
    ["${<<EOT\nx\nEOT\n}", /heredocs/],
    ["%{if true}x%{endif}", /directives/],
    ["${x", /unterminated/],
    ["${\"x}", /unterminated/],
    ["${x `y`}", /not allowed/],
  ])("refuses %j", (text, reason) => {
    expect(() => readTemplateString(text)).toThrow(reason);
  });
});
