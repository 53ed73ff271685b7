/**
 * Real `terraform validate` of synthesized stacks with every backend kind (the all-options
 * config: a handler of this repository with declared permissions, an existing function by ARN,
 * an HTTPS service; and the default config's payments handler). Terraform checks every
 * attribute against the AWS provider's schema. The machine's filesystem mirror holds the AWS
 * provider 5.100.0 and no archive provider, so a copy of each stack is re-pinned to it and its
 * `archive_file` data sources become literal file names and hashes (validate reads no files).
 * Skipped, saying so, where no terraform binary or mirror exists.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import defaultConfig from "../../m2m.config";
import allOptionsConfig from "../security/fixtures/all-options.config";
import { synthConfig, tempDir, type SynthesizedStack } from "../support/synth";

const MIRROR = "/opt/tf-plugins";
const MIRROR_AWS_VERSION = "5.100.0";
const hasTerraform = spawnSync("terraform", ["version"], { encoding: "utf8" }).status === 0 && fs.existsSync(path.join(MIRROR, "registry.terraform.io", "hashicorp", "aws"));
const maybe = hasTerraform ? describe : describe.skip;
if (!hasTerraform) console.warn(`terraform validate skipped: no terraform binary or no provider mirror at ${MIRROR}`);

/** The stack, re-pinned to the mirror's AWS provider, with archive_file replaced by literals. */
function validatableCopy(stack: SynthesizedStack): string {
  const json = structuredClone(stack.json) as Record<string, any>;
  const text = JSON.stringify(json)
    .replace(/\$\{data\.archive_file\.([\w-]+)\.output_path\}/g, "$1.zip")
    .replace(/\$\{data\.archive_file\.([\w-]+)\.output_base64sha256\}/g, "AAAA");
  const copy = JSON.parse(text) as Record<string, any>;
  copy.terraform = { required_providers: { aws: { source: "hashicorp/aws", version: MIRROR_AWS_VERSION } } };
  delete copy.data?.archive_file;
  if (copy.data && Object.keys(copy.data).length === 0) delete copy.data;
  delete copy.provider?.archive;
  return JSON.stringify(copy, null, 1);
}

function validate(stack: SynthesizedStack): { ok: boolean; output: string } {
  const dir = tempDir("tf-validate");
  try {
    fs.writeFileSync(path.join(dir, "main.tf.json"), validatableCopy(stack));
    const env = { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" };
    const init = spawnSync("terraform", ["init", `-plugin-dir=${MIRROR}`, "-input=false", "-no-color", "-backend=false"], { cwd: dir, env, encoding: "utf8", timeout: 120_000 });
    if (init.status !== 0) return { ok: false, output: `init: ${init.stderr || init.stdout}` };
    const run = spawnSync("terraform", ["validate", "-no-color", "-json"], { cwd: dir, env, encoding: "utf8", timeout: 120_000 });
    const result = JSON.parse(run.stdout || "{}") as { valid?: boolean; diagnostics?: { severity: string; summary: string; detail?: string }[] };
    const errors = (result.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => `${d.summary}: ${d.detail ?? ""}`);
    return { ok: result.valid === true, output: errors.join("\n") };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

maybe("terraform validate (AWS provider schema), stacks with every backend kind", () => {
  test("the all-options stack: lambda handler, existing function, HTTPS backend, mock", () => {
    const live = synthConfig(allOptionsConfig).live!;
    const kinds = Object.values(JSON.parse(live.json.resource.aws_api_gateway_rest_api_put!.api!.body as string).paths as Record<string, Record<string, any>>)
      .flatMap((item) => Object.values(item).map((op) => op["x-amazon-apigateway-integration"]?.type));
    expect(new Set(kinds)).toEqual(new Set(["mock", "aws_proxy", "http_proxy"]));
    expect(validate(live)).toEqual({ ok: true, output: "" });
  });

  test("the default config's dev stack (the payments handler)", () => {
    expect(validate(synthConfig(defaultConfig).dev!)).toEqual({ ok: true, output: "" });
  });

  test("can fail: an unknown attribute on a backend function is refused", () => {
    const dev = synthConfig(defaultConfig).dev!;
    (dev.json.resource.aws_lambda_function!.backend_payments as Record<string, unknown>).runtime_version = "nodejs22.x";
    const result = validate(dev);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/runtime_version/);
  });
});
