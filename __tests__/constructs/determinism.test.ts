/** Same input, byte-identical output, with nothing machine-specific in it. */
import * as fs from "node:fs";
import * as path from "node:path";
import multiApiConfig from "../security/fixtures/multi-api.config";
import { synthConfig, synthDefault, tempDir } from "../support/synth";

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

test("two synths give identical bytes in every stack file, assets included", () => {
  const a = tempDir("det-a");
  const b = tempDir("det-b");
  synthDefault(a);
  synthDefault(b);
  const stacksA = path.join(a, "stacks");
  const stacksB = path.join(b, "stacks");
  const files = filesUnder(stacksA);
  expect(files).toEqual(filesUnder(stacksB));
  expect(files).toEqual(expect.arrayContaining(["dev/cdk.tf.json", "prod/cdk.tf.json"]));
  // The bundles are among them: the scope checker's and the payments backend's (backends/payments.ts).
  // Production rotates client secrets by default, so its stack also carries the rotation function.
  const bundles = (env: string) => files.filter((f) => f.startsWith(`${env}/assets/`) && f.endsWith("/index.mjs")).map((f) => f.split("/")[2]!.replace(/_[0-9A-F]{8}$/, ""));
  expect(bundles("dev")).toEqual(["backends_payments_bundle", "scope-checker_bundle"]);
  expect(bundles("prod")).toEqual(["backends_payments_bundle", "scope-checker_bundle", "secret-rotation_bundle"]);
  for (const file of files) {
    expect(fs.readFileSync(path.join(stacksB, file)).equals(fs.readFileSync(path.join(stacksA, file)))).toBe(true);
  }
});

test("no absolute path, temp directory or home directory in the synthesized JSON", () => {
  const outdir = tempDir("det-paths");
  const stacks = synthDefault(outdir);
  for (const { text } of Object.values(stacks)) {
    expect(text).not.toContain(outdir);
    expect(text).not.toContain(process.cwd());
    expect(text).not.toMatch(/"\/(work|tmp|home|root|Users)\//);
    expect(text).not.toMatch(/stackTrace/);
  }
});

test("several APIs: two synths of the multi-api fixture give identical bytes, each API's bundles in assets of its own", () => {
  const a = tempDir("det-multi-a");
  const b = tempDir("det-multi-b");
  synthConfig(multiApiConfig, a);
  synthConfig(multiApiConfig, b);
  const files = filesUnder(path.join(a, "stacks"));
  expect(files).toEqual(filesUnder(path.join(b, "stacks")));
  const bundles = files.filter((f) => f.startsWith("dev/assets/") && f.endsWith("/index.mjs")).map((f) => f.split("/")[2]!.replace(/_[0-9A-F]{8}$/, ""));
  // The same handler in two APIs: one bundle each, under each API's construct.
  expect(bundles).toEqual(["api-invoices_backends_tests-fixtures-backends-echo_bundle", "api-invoices_scope-checker_bundle", "api-orders_backends_tests-fixtures-backends-echo_bundle", "api-orders_scope-checker_bundle"]);
  for (const file of files) expect([file, fs.readFileSync(path.join(b, "stacks", file)).equals(fs.readFileSync(path.join(a, "stacks", file)))]).toEqual([file, true]);
  for (const text of ["dev", "prod"].map((env) => fs.readFileSync(path.join(a, "stacks", env, "cdk.tf.json"), "utf8"))) {
    expect(text).not.toContain(a);
    expect(text).not.toMatch(/"\/(work|tmp|home|root|Users)\//);
  }
});
