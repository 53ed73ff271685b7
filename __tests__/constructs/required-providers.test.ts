/**
 * `m2m doctor` checks the providers requiredProviders() names: they must be exactly what synth
 * writes in each stack's `terraform.required_providers`, for every shipped config form.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { requiredProviders } from "../../constructs/required-providers";
import { validateConfig } from "../../model/validate";
import { synthesizeStacks, VERIFIED_CONFIGS } from "../../verify/verified-configs";
import { tempDir } from "../support/synth";

const root = tempDir("required-providers");
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

test.each(["default", "all-options", "per-team"] as const)("%s: every stack requires exactly the providers requiredProviders() names", (name) => {
  const config = VERIFIED_CONFIGS[name]().config;
  const model = validateConfig(config);
  for (const stack of synthesizeStacks(name, config, path.join(root, name))) {
    const written = (JSON.parse(fs.readFileSync(path.join(stack.dir, "cdk.tf.json"), "utf8")) as { terraform: { required_providers: Record<string, { source: string; version: string }> } }).terraform.required_providers;
    const expected = Object.entries(written).map(([local, p]) => ({ name: local, source: p.source, version: p.version })).sort((a, b) => a.name.localeCompare(b.name));
    expect(requiredProviders(model, model.environments.find((e) => e.name === stack.environment)!)).toEqual(expected);
  }
});

test("a stack that zips nothing requires hashicorp/aws alone", () => {
  const model = validateConfig({
    api: { name: "mock-only", resourceServerName: "Mock only", scopes: [{ name: "read", description: "Read" }] },
    routes: [{ method: "GET", path: "/hello", scopes: ["read"] }],
    clients: [{ name: "reader", scopes: ["read"] }],
    environments: [{ name: "dev", region: "eu-west-1", domainPrefix: "mock-only-dev", stageName: "dev" }],
  });
  expect(requiredProviders(model, model.environments[0]!).map((p) => `${p.source} ${p.version}`)).toEqual([expect.stringMatching(/^hashicorp\/aws \d+\.\d+\.\d+$/)]);
});
