/**
 * Issue 15's confirmed plan-guard bypasses, each run against the guard as it was before
 * (main's guard before issue 15, kept as a fixture: __tests__/security/fixtures/plan-guard-before-issue-15.js), where it
 * passes, and against today's guard, where it is refused. The stacks are the real synthesized
 * prod stack with the attacker's edit written as raw JSON text (duplicate keys cannot be built
 * with objects).
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { tempDir } from "../support/synth";
import { synthesizeApp } from "../../constructs/m2m-app";
import defaultConfig from "../fixtures/single-api.config";
import { validateConfig } from "../../model/validate";

const ROOT = resolve(__dirname, "..", "..");
type Guard = { checkStack: (dir: string) => string[] };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const oldGuard = require("./fixtures/plan-guard-before-issue-15.js") as Guard;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const newGuard = require(join(ROOT, ".github", "plan-guard", "check-plan-input.js")) as Guard;

const out = tempDir("bypass");
synthesizeApp(validateConfig(defaultConfig), { outdir: out });
const PROD = join(out, "stacks", "prod");
const prodText = readFileSync(join(PROD, "cdk.tf.json"), "utf8");
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** A copy of the prod stack whose cdk.tf.json is `edit(original text)`. */
function stackWithText(edit: (text: string) => string): string {
  const dir = join(tempDir("bypass-stack"), "prod");
  cpSync(PROD, dir, { recursive: true });
  writeFileSync(join(dir, "cdk.tf.json"), edit(prodText));
  return dir;
}

/** Inserts raw JSON members right after the document's opening brace. */
const prepend = (members: string) => (text: string) => text.replace(/^\{/, `{${members},`);
/** Replaces the value of one member (matched textually) of the pretty-printed document. */
function replaceOnce(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`fixture: ${from} not in the stack`);
  return text.replace(from, to);
}

describe("plan guard: issue 15 bypasses, before and after", () => {
  it("control: both guards pass the synthesized stack", () => {
    expect(oldGuard.checkStack(PROD)).toEqual([]);
    expect(newGuard.checkStack(PROD)).toEqual([]);
  });

  it("1. duplicate keys: a leading data.external block hidden by a second, benign `data` key", () => {
    const dir = stackWithText(prepend(`"data": {"external": {"x": {"program": ["sh", "-c", "env > /tmp/leak"]}}}`));
    // JSON.parse keeps the last `data`: the old guard never saw `external`. Terraform reads both.
    expect(oldGuard.checkStack(dir)).toEqual([]);
    expect(newGuard.checkStack(dir)).toEqual([expect.stringMatching(/cannot be read strictly: duplicate key "data" .* at \$\.data/)]);
  });

  it("1. duplicate keys deep inside a resource are refused too", () => {
    const dir = stackWithText((t) => replaceOnce(t, '"aws_iam_role": {', '"aws_iam_role": {"api_gateway_cloudwatch": {"name": "x"},'));
    expect(newGuard.checkStack(dir)).toEqual([expect.stringMatching(/duplicate key "api_gateway_cloudwatch" .* at \$\.resource\.aws_iam_role\.api_gateway_cloudwatch/)]);
  });

  it("2. a backend wrapped in a one-element array: profile + shared_config_files with a credential_process", () => {
    const doc = JSON.parse(prodText);
    doc.terraform.backend = { s3: [{ ...doc.terraform.backend.s3, profile: "evil", shared_config_files: ["assets/config"] }] };
    const dir = stackWithText(() => JSON.stringify(doc));
    writeFileSync(join(dir, "assets", "config"), "[profile evil]\ncredential_process = sh -c 'env > /tmp/leak'\n");
    expect(oldGuard.checkStack(dir)).toEqual([]);
    expect(newGuard.checkStack(dir)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\$\.terraform\.backend\.s3\[0\]\.profile: backend s3 argument profile is not allowed/),
        expect.stringMatching(/\$\.terraform\.backend\.s3\[0\]\.shared_config_files: backend s3 argument shared_config_files is not allowed/),
      ]),
    );
  });

  it("2. an archive wrapped in a one-element array reading /proc/self/environ", () => {
    const doc = JSON.parse(prodText);
    const archive = doc.data.archive_file.scope_checker;
    doc.data.archive_file.scope_checker = [{ ...archive, source_file: "/proc/self/environ" }];
    const dir = stackWithText(() => JSON.stringify(doc));
    expect(oldGuard.checkStack(dir)).toEqual([]);
    expect(newGuard.checkStack(dir)).toEqual([expect.stringMatching(/\$\.data\.archive_file\.scope_checker\[0\]\.source_file must be a literal path under assets\/ \(no \.\., no template\), found "\/proc\/self\/environ"/)]);
  });

  it("2. arrays at every block level: data type level, provider level, nested default_tags", () => {
    const doc = JSON.parse(prodText);
    doc.data = [doc.data, { external: [{ x: [{ program: ["env"] }] }] }];
    doc.provider.aws[0].default_tags = [{ tags: { a: "b" }, profile: "evil" }];
    const dir = stackWithText(() => JSON.stringify(doc));
    const problems = newGuard.checkStack(dir);
    expect(problems).toContainEqual(expect.stringMatching(/\$\.data\[1\]\.external: data source external is not allowed/));
    expect(problems).toContainEqual(expect.stringMatching(/provider aws setting default_tags\.profile is not allowed/));
  });

  it("4. a comment inside an interpolation dodging the function allow-list (templatestring/**/(...))", () => {
    const dir = stackWithText((t) => replaceOnce(t, '"name": "m2m-demo-api-prod-apigw-cloudwatch"', '"name": "${templatestring/**/(\\"x\\", {})}"'));
    expect(oldGuard.checkStack(dir)).toEqual([]);
    expect(newGuard.checkStack(dir)).toEqual([expect.stringMatching(/cannot read the expression for certain \(comments inside an expression are not allowed/)]);
  });

  it("4. a call inside a string nested in an interpolation, and a function outside the allow-list", () => {
    const doc = JSON.parse(prodText);
    const role = doc.resource.aws_iam_role.api_gateway_cloudwatch;
    role.name = '${"${base64gzip("x")}"}';
    const problems = newGuard.checkStack(stackWithText(() => JSON.stringify(doc)));
    expect(problems).toEqual([expect.stringMatching(/function base64gzip\(\) is not allowed/)]);
  });

  it("suspected: a provider default_tags interpolating a client secret (Terraform unmarks provider config)", () => {
    const doc = JSON.parse(prodText);
    doc.provider.aws[0].default_tags[0].tags.Leak = "${aws_cognito_user_pool_client.client_billing.client_secret}";
    const dir = stackWithText(() => JSON.stringify(doc));
    expect(oldGuard.checkStack(dir)).toEqual([]);
    expect(newGuard.checkStack(dir)).toEqual([expect.stringMatching(/\$\.provider\.aws\[0\]\.default_tags\[0\]\.tags\.Leak: provider configuration must be literal/)]);
  });

  it("the allow-list refuses arguments the old deny-list never named (provider alias with assume_role)", () => {
    const doc = JSON.parse(prodText);
    doc.provider.aws.push({ alias: "other", region: "eu-west-1", assume_role: [{ role_arn: "arn:aws:iam::1:role/x" }] });
    const problems = newGuard.checkStack(stackWithText(() => JSON.stringify(doc)));
    // A second provider with an alias is what a token custom domain's us-east-1 certificate takes
    // (issue 24), so alias and region are allowed; assume_role, which would move the plan to
    // another account, stays refused.
    expect(problems).toEqual([expect.stringMatching(/\$\.provider\.aws\[1\]\.assume_role: provider aws setting assume_role is not allowed/)]);
  });
});
