/**
 * bin/cdktn-patches.js against the installed cdktn: each edit finds its text exactly once, and
 * an edit whose anchor is gone throws (a cdktn upgrade that moved the code fails loudly instead of
 * silently losing the speed-up). Jest runs cdktn through the same edits (jest.config.js), so the
 * synth under test is the synth users run. Token creation stacks are cdktn's own switch.
 */
import { readFileSync, rmSync } from "node:fs";
import * as path from "node:path";
import { AwsProvider } from "@cdktn/provider-aws/lib/provider";
import { SnsTopic } from "@cdktn/provider-aws/lib/sns-topic";
import { App, TerraformOutput, TerraformStack } from "cdktn";
import { tempDir } from "../support/synth";

const { patchCdktn } = require("../../bin/cdktn-patches") as { patchCdktn: (file: string, source: string) => string | undefined };

const cdktnFile = (relative: string) => require.resolve(`cdktn/lib/${relative}`);
const PATCHED = ["terraform-stack.js", "tfExpression.js", "tokens/private/resolve.js", "tokens/private/encoding.js"];

describe("cdktn patches", () => {
  it.each(PATCHED)("%s: the edit finds its text in the installed cdktn", (relative) => {
    const file = cdktnFile(relative);
    const source = readFileSync(file, "utf8");
    const patched = patchCdktn(file, source);
    expect(patched).toBeDefined();
    expect(patched).not.toBe(source);
  });

  it.each(PATCHED)("%s: an edit whose anchor text is gone throws, naming the edit", (relative) => {
    const file = cdktnFile(relative);
    // The installed source with every line that holds an anchor cut short: each edit misses.
    const source = readFileSync(file, "utf8");
    expect(() => patchCdktn(file, source.replace(/\n/g, "\n// moved\n").slice(0, 200))).toThrow(/bin\/cdktn-patches\.js: .*: anchor text not found in the installed cdktn/);
    expect(() => patchCdktn(file, `${source}\n${source}`)).toThrow(/anchor text found more than once/);
  });

  it("leaves every other file alone", () => {
    expect(patchCdktn(cdktnFile("app.js"), "x")).toBeUndefined();
    expect(patchCdktn(path.join("lib", "tokens", "private", "resolve.ts"), "x")).toBeUndefined();
  });

  it("under jest, cdktn records no token creation stack (its own switch, set unless M2M_DEBUG)", () => {
    expect(process.env.CDKTN_DISABLE_CREATION_STACK).toBe("1");
    const { captureCreationStack } = require("cdktn/lib/tokens/private/stack-trace") as { captureCreationStack: () => string[] };
    expect(captureCreationStack()).toEqual([]);
    process.env.CDKTN_DISABLE_CREATION_STACK = "0";
    try {
      expect(captureCreationStack().length).toBeGreaterThan(1);
    } finally {
      process.env.CDKTN_DISABLE_CREATION_STACK = "1";
    }
  });
});

describe("no preparing resolve", () => {
  /** Stack b outputs an attribute of a topic in stack a: a cross-stack reference. */
  function crossStackApp(outdir: string): App {
    const app = new App({ outdir, stackTraces: false });
    const a = new TerraformStack(app, "a");
    new AwsProvider(a, "aws", { region: "eu-west-1" });
    const topic = new SnsTopic(a, "topic", { name: "t" });
    const b = new TerraformStack(app, "b");
    new AwsProvider(b, "aws", { region: "eu-west-1" });
    new TerraformOutput(b, "arn", { value: topic.arn });
    return app;
  }

  it("a cross-stack reference fails the synth, naming it, instead of writing a dangling reference", () => {
    const outdir = tempDir("cross-stack");
    try {
      expect(() => crossStackApp(outdir).synth()).toThrow(/cross-stack reference to aws_sns_topic\.topic\.arn \(from a in b\): the stacks must stay independent/);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  it("with M2M_CDKTN_PREPARE=1, cdktn's own pass runs and wires it (remote state), as unpatched cdktn does", () => {
    const outdir = tempDir("cross-stack-prepared");
    process.env.M2M_CDKTN_PREPARE = "1";
    try {
      crossStackApp(outdir).synth();
      const b = JSON.parse(readFileSync(path.join(outdir, "stacks", "b", "cdk.tf.json"), "utf8"));
      expect(Object.keys(b.data ?? {})).toContain("terraform_remote_state");
    } finally {
      delete process.env.M2M_CDKTN_PREPARE;
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe("remembered escape scans", () => {
  /** cdktn's encoding.js as installed (no edit), loaded outside jest's transform. */
  function unpatchedEncoding(): { TokenString: EncodingModule["TokenString"] } {
    const Module = require("node:module") as { new (id: string): NodeModule & { _compile(code: string, file: string): void; paths: string[] }; _nodeModulePaths(dir: string): string[] };
    const file = cdktnFile("tokens/private/encoding.js");
    const mod = new Module(file);
    mod.filename = file;
    mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
    mod._compile(readFileSync(file, "utf8"), file);
    return mod.exports as { TokenString: EncodingModule["TokenString"] };
  }
  type EncodingModule = { TokenString: { forString(s: string, escapes?: boolean, warn?: boolean): { split(lookup: (id: string) => unknown): { fragments: unknown[] } } } };

  it("splits escape-laden strings into the same fragments as unpatched cdktn", () => {
    const patched = require("cdktn/lib/tokens/private/encoding") as EncodingModule;
    const plain = unpatchedEncoding();
    const body = JSON.stringify({ paths: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`/r${i}/{id}`, { get: { uri: "${aws_lambda_function.f.invoke_arn}", n: { a: { b: {} } } } }])) });
    const samples = ["${a}", "x}y${b}}", "}}}${", "${${nested}}", "${TfToken[TOKEN.1]}${c}", body, `${body}\${escaped}`, "no escapes at all"];
    for (const sample of samples) {
      const split = (encoding: EncodingModule) => JSON.stringify(encoding.TokenString.forString(sample, true, false).split(() => undefined).fragments);
      expect(split(patched)).toBe(split(plain));
    }
  });
});
