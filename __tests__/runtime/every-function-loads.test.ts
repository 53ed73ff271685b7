/**
 * Runtime tier, load: every Lambda function of the default, all-options and per-team configs,
 * built from exactly its zip's files (and its layers at /opt), loaded in a fresh Node 22 process
 * by Lambda's handler rules. A bundle that does not load, or does not export its handler, fails
 * the test named after the function.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { tempDir } from "../support/synth";
import { synthesizeStacks, VERIFIED_CONFIGS } from "../../verify/verified-configs";
import { lambdaArtifacts, resolvedEnvironment, type LambdaArtifact } from "./lambda-artifacts";
import { LambdaProcess } from "./lambda-process";
import { placeholderWorld } from "./runtime-world";

const CONFIGS = ["default", "all-options", "per-team"] as const;
const root = tempDir("runtime-load");
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const functions: [string, LambdaArtifact][] = CONFIGS.flatMap((name) =>
  synthesizeStacks(name, VERIFIED_CONFIGS[name]().config, path.join(root, name)).flatMap((stack) =>
    lambdaArtifacts(stack.dir, placeholderWorld).map((artifact) => [`${stack.label} ${artifact.functionName}`, artifact] as [string, LambdaArtifact]),
  ),
);

test("the configs have functions of every kind", () => {
  const names = functions.map(([label]) => label);
  expect(names.some((n) => n.endsWith("-scope-checker"))).toBe(true);
  expect(names.some((n) => n.endsWith("-secret-rotation"))).toBe(true);
  expect(names.some((n) => /-backend-|payments/.test(n))).toBe(true);
});

test.each(functions)("%s loads on Node 22 and exports its handler", async (_label, artifact) => {
  expect(artifact.runtime).toBe("nodejs22.x");
  const { process: lambda, loaded } = await LambdaProcess.start(artifact, {
    variables: resolvedEnvironment(artifact, placeholderWorld),
    // Loading starts the scope checker's JWKS fetch: a closed loopback port, never the network.
    extra: { JWKS_URI: "http://127.0.0.1:9/jwks.json" },
  });
  try {
    expect(loaded.node.split(".")[0]).toBe("22");
    expect(artifact.files.map((f) => f.name)).toEqual(["index.mjs"]);
    expect(loaded.how).toBe("import .mjs");
  } finally {
    await lambda.stop();
  }
});
