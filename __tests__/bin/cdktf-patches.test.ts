/**
 * bin/cdktf-patches.js against the installed cdktf: each edit finds its text (a cdktf upgrade
 * that moved it would silently lose the speed-up), and the patched files still work: no token
 * stack trace unless M2M_DEBUG, archiver loaded on first use. Jest runs cdktf through the same
 * edits (jest.config.js), so the synth under test is the synth users run.
 */
import { readFileSync, rmSync } from "node:fs";
import * as path from "node:path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { App, TerraformOutput, TerraformStack } from "cdktf";
import { tempDir } from "../support/synth";

const { patchCdktf } = require("../../bin/cdktf-patches") as { patchCdktf: (file: string, source: string) => string | undefined };

const cdktfFile = (relative: string) => require.resolve(`cdktf/lib/${relative}`);

describe("cdktf patches", () => {
  it.each(["tokens/private/stack-trace.js", "private/fs.js", "terraform-stack.js", "tfExpression.js", "tokens/private/resolve.js", "tokens/private/encoding.js"])("%s: the edit finds its text in the installed cdktf", (relative) => {
    const file = cdktfFile(relative);
    const source = readFileSync(file, "utf8");
    const patched = patchCdktf(file, source);
    expect(patched).toBeDefined();
    expect(patched).not.toBe(source);
  });

  it("leaves every other file alone", () => {
    expect(patchCdktf(cdktfFile("app.js"), "x")).toBeUndefined();
    expect(patchCdktf(path.join("lib", "tokens", "private", "stack-trace.ts"), "x")).toBeUndefined();
  });

  it("under jest, cdktf records no token stack trace unless M2M_DEBUG is set", () => {
    const { captureStackTrace } = require("cdktf/lib/tokens/private/stack-trace") as { captureStackTrace: () => string[] };
    expect(captureStackTrace()).toEqual(["stack trace not recorded (set M2M_DEBUG=1 to record it)"]);
    process.env.M2M_DEBUG = "1";
    try {
      expect(captureStackTrace().length).toBeGreaterThan(1);
    } finally {
      delete process.env.M2M_DEBUG;
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

  it("with M2M_CDKTF_PREPARE=1, cdktf's own pass runs and wires it (remote state), as unpatched cdktf does", () => {
    const outdir = tempDir("cross-stack-prepared");
    process.env.M2M_CDKTF_PREPARE = "1";
    try {
      crossStackApp(outdir).synth();
      const b = JSON.parse(readFileSync(path.join(outdir, "stacks", "b", "cdk.tf.json"), "utf8"));
      expect(Object.keys(b.data ?? {})).toContain("terraform_remote_state");
    } finally {
      delete process.env.M2M_CDKTF_PREPARE;
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe("remembered escape scans", () => {
  /** cdktf's encoding.js as installed (no edit), loaded outside jest's transform. */
  function unpatchedEncoding(): { TokenString: EncodingModule["TokenString"] } {
    const Module = require("node:module") as { new (id: string): NodeModule & { _compile(code: string, file: string): void; paths: string[] }; _nodeModulePaths(dir: string): string[] };
    const file = cdktfFile("tokens/private/encoding.js");
    const mod = new Module(file);
    mod.filename = file;
    mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
    mod._compile(readFileSync(file, "utf8"), file);
    return mod.exports as { TokenString: EncodingModule["TokenString"] };
  }
  type EncodingModule = { TokenString: { forString(s: string, escapes?: boolean, warn?: boolean): { split(lookup: (id: string) => unknown): { fragments: unknown[] } } } };

  it("splits escape-laden strings into the same fragments as unpatched cdktf", () => {
    const patched = require("cdktf/lib/tokens/private/encoding") as EncodingModule;
    const plain = unpatchedEncoding();
    const body = JSON.stringify({ paths: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`/r${i}/{id}`, { get: { uri: "${aws_lambda_function.f.invoke_arn}", n: { a: { b: {} } } } }])) });
    const samples = ["${a}", "x}y${b}}", "}}}${", "${${nested}}", "${TfToken[TOKEN.1]}${c}", body, `${body}\${escaped}`, "no escapes at all"];
    for (const sample of samples) {
      const split = (encoding: EncodingModule) => JSON.stringify(encoding.TokenString.forString(sample, true, false).split(() => undefined).fragments);
      expect(split(patched)).toBe(split(plain));
    }
  });
});
