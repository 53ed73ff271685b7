/**
 * Issue 21, hole 1: the guard checked archive paths as raw strings, but Terraform evaluates every
 * string as a template first. `"${"/"}home/runner/.terraform.d/plugins/..."` passed as a relative
 * path and became an absolute one; the archive data source writes its zip during plan (with the
 * entry's file mode), so a pull request could plant a provider in an implied local mirror or
 * overwrite the running plan script. Now each archive argument must be one literal form: no
 * template can pass, so the path the guard reads is the path Terraform uses.
 * (Shown failing against the guard of 0644668 before the fix: every case below passed it.)
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { tempDir } from "../support/synth";
import { synthesizeApp } from "../../constructs/m2m-app";
import defaultConfig from "../fixtures/single-api.config";
import { validateConfig } from "../../model/validate";

const ROOT = resolve(__dirname, "..", "..");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const guard = require(join(ROOT, ".github", "plan-guard", "check-plan-input.js")) as { checkStack: (dir: string) => string[] };

const out = tempDir("archive-templates");
synthesizeApp(validateConfig(defaultConfig), { outdir: out });
const PROD = join(out, "stacks", "prod");
const prod = JSON.parse(readFileSync(join(PROD, "cdk.tf.json"), "utf8"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** A copy of the prod stack with one argument of the scope checker's archive set to `value`. */
function withArchive(argument: string, value: unknown): string {
  const doc = structuredClone(prod);
  doc.data.archive_file.scope_checker[argument] = value;
  const dir = join(tempDir("archive-stack"), "prod");
  cpSync(PROD, dir, { recursive: true });
  writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(doc, null, 2));
  return dir;
}

test("control: the synthesized stack passes", () => {
  expect(guard.checkStack(PROD)).toEqual([]);
});

test.each([
  ["output_path", '${"/"}home/runner/.terraform.d/plugins/registry.terraform.io/a/b/1.0.0/linux_amd64/terraform-provider-b.zip'],
  ["output_path", 'assets/${"."}${"."}/${"."}${"."}/offline-plan.sh'],
  ["output_path", "$${HOME}/x.zip"],
  ["output_path", "%{ if true }/etc/x%{ endif }.zip"],
  ["output_path", "assets/x.zip"],
  ["output_path", "~/x.zip"],
  ["source_file", 'assets/${"."}${"."}/${"."}${"."}/etc/passwd'],
  ["source_file", '${"/"}proc/self/environ'],
  ["source_content_filename", '${"."}${"."}/x'],
  ["output_file_mode", "0755"],
  ["output_file_mode", '${"0755"}'],
])("%s = %j is refused", (argument, value) => {
  // (A directive is refused by the template reader as well.)
  expect(guard.checkStack(withArchive(argument, value))).toContainEqual(expect.stringMatching(new RegExp(`\\.scope_checker\\.${argument} must be `)));
});
