/** Same input, byte-identical output, with nothing machine-specific in it. */
import * as fs from "node:fs";
import * as path from "node:path";
import { synthDefault, tempDir } from "../support/synth";

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
