/**
 * The account-wide API Gateway logging role, planned by real Terraform (1.11, AWS provider
 * 5.100 from the local mirror; provider 6's destroy resets the account's role, 5.x's did not by
 * default, so what matters is whether Terraform plans a destroy at all):
 * - turning `manageAccountRole` off makes the stack forget the three resources, never destroy them;
 * - while they are managed, no plan may destroy them (prevent_destroy).
 * The state is the one config A (role managed) leaves, with placeholder ids; the configuration
 * is the synthesized stack's own blocks, re-pinned to the mirror's provider with placeholder
 * credentials. Where terraform or the mirror is missing the suite says so and is skipped.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import defaultConfig from "../fixtures/single-api.config";
import { ACCOUNT_ROLE_ADDRESSES } from "../../constructs/api-gateway-account-role";
import { synthConfig, tempDir, type SynthesizedStack } from "../support/synth";
import { cacheRoot, providerWorkspace, type ProviderWorkspace } from "../../verify/provider-workspace";
import { keptTerraformResult, TierResultCache } from "../../verify/tier-result-cache";

const MIRROR = "/opt/tf-plugins";
const MIRROR_AWS_VERSION = "5.100.0";
const terraformFound = spawnSync("terraform", ["version"], { encoding: "utf8" }).status === 0;
const available = terraformFound && fs.existsSync(path.join(MIRROR, "registry.terraform.io/hashicorp/aws", MIRROR_AWS_VERSION));
if (!available) console.warn(`account-role hand-over: SKIPPED, ${terraformFound ? `no AWS provider ${MIRROR_AWS_VERSION} in ${MIRROR}` : "no terraform on PATH"}`);
const maybe = available ? test : test.skip;

let workspace: ProviderWorkspace | undefined;
beforeAll(async () => {
  if (available) workspace = await providerWorkspace();
}, 300_000);

const PLACEHOLDER_PROVIDER = {
  region: "eu-west-1",
  access_key: "AKIAIOSFODNN7EXAMPLE",
  secret_key: "placeholder",
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
};

const ROLE_ARN = "arn:aws:iam::123456789012:role/m2m-demo-api-prod-apigw-cloudwatch";
const PROVIDER_ADDRESS = 'provider["registry.terraform.io/hashicorp/aws"]';

/** What applying config A leaves in state for the three resources (placeholder ids, recorded dependencies). */
function stateAfterA(): unknown {
  const instance = (attributes: Record<string, unknown>, dependencies: string[] = []) => ({ schema_version: 0, attributes, sensitive_attributes: [], dependencies });
  const resource = (address: string, attributes: Record<string, unknown>, dependencies?: string[]) => {
    const [type, name] = address.split(".");
    return { mode: "managed", type, name, provider: PROVIDER_ADDRESS, instances: [instance(attributes, dependencies)] };
  };
  const [account, role, attachment] = ACCOUNT_ROLE_ADDRESSES;
  return {
    version: 4,
    terraform_version: "1.11.4",
    serial: 1,
    lineage: "00000000-0000-4000-8000-000000000009",
    outputs: {},
    resources: [
      resource(role, { id: "m2m-demo-api-prod-apigw-cloudwatch", name: "m2m-demo-api-prod-apigw-cloudwatch", arn: ROLE_ARN, assume_role_policy: "{}" }),
      resource(attachment, { id: "m2m-demo-api-prod-apigw-cloudwatch-20240101", role: "m2m-demo-api-prod-apigw-cloudwatch", policy_arn: "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs" }, [role]),
      resource(account, { id: "api-gateway-account", cloudwatch_role_arn: ROLE_ARN }, [role, attachment]),
    ],
  };
}

const workingCopies: string[] = [];
afterAll(() => {
  for (const dir of workingCopies) fs.rmSync(dir, { recursive: true, force: true });
});

/** A working copy: the given top-level blocks of a synthesized stack, pinned to the mirror, with A's state. */
function workingCopy(stack: SynthesizedStack, blocks: Record<string, unknown>): string {
  const dir = tempDir("handover");
  workingCopies.push(dir);
  const config = {
    terraform: { required_version: stack.json.terraform.required_version, required_providers: { aws: { source: "hashicorp/aws", version: MIRROR_AWS_VERSION } } },
    provider: { aws: [PLACEHOLDER_PROVIDER] },
    ...blocks,
  };
  fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify(config, null, 2));
  fs.writeFileSync(path.join(dir, "terraform.tfstate"), JSON.stringify(stateAfterA(), null, 2));
  // The shared, initialised provider (verify/provider-workspace): no `init` of its own, which
  // would copy and hash the 700 MB provider again.
  workspace!.linkInto(dir);
  return dir;
}

function terraform(dir: string, args: string[]): { status: number; output: string } {
  const result = spawnSync("terraform", args, {
    cwd: dir,
    encoding: "utf8",
    timeout: 120_000,
    env: workspace!.env,
  });
  const output = `${result.stdout}${result.stderr}`;
  return { status: result.status ?? 1, output };
}

/** The result of `run` for `dir` as it is (configuration, A's state, provider lock), kept by those bytes (verify/tier-result-cache). */
async function kept<T>(tier: string, dir: string, run: () => T, keep?: (result: T) => boolean): Promise<T> {
  const state = fs.readFileSync(path.join(dir, "terraform.tfstate"), "utf8");
  return (await keptTerraformResult(new TierResultCache(path.join(cacheRoot(), "results")), { tier, copyDir: dir, extra: [state] }, async () => run(), keep)).result;
}

/** Terraform's own planned actions per address (`terraform show -json` of a saved plan). */
function plannedActions(dir: string, extra: string[] = []): Promise<Record<string, string[]>> {
  return kept("account-role-plan", dir, () => {
    const plan = terraform(dir, ["plan", "-refresh=false", "-lock=false", "-no-color", "-out=plan.tfplan", ...extra]);
    if (plan.status !== 0) throw new Error(`terraform plan failed:\n${plan.output}`);
    const shown = JSON.parse(execFileSync("terraform", ["show", "-json", "plan.tfplan"], { cwd: dir, encoding: "utf8", env: workspace!.env }));
    return Object.fromEntries((shown.resource_changes ?? []).map((c: { address: string; change: { actions: string[] } }) => [c.address, c.change.actions])) as Record<string, string[]>;
  });
}

maybe("turning manageAccountRole off forgets the account setting and its role: Terraform plans no destroy", async () => {
  const config = structuredClone(defaultConfig) as any;
  config.environments[1].accessLogs = { manageAccountRole: false };
  const stackB = synthConfig(config).prod!;
  const dir = workingCopy(stackB, { removed: (stackB.json as unknown as { removed: unknown }).removed });
  const actions = await plannedActions(dir);
  expect(actions).toEqual(Object.fromEntries(ACCOUNT_ROLE_ADDRESSES.map((a) => [a, ["forget"]])));
}, 180_000);

maybe("while the role is managed, a plan that would destroy it fails (prevent_destroy)", async () => {
  const stackA = synthConfig(defaultConfig).prod!;
  const resources: Record<string, Record<string, unknown>> = {};
  for (const address of ACCOUNT_ROLE_ADDRESSES) {
    const [type, name] = address.split(".") as [string, string];
    const { "//": _metadata, ...block } = stackA.json.resource[type]![name]!;
    (resources[type] ??= {})[name] = block;
  }
  const dir = workingCopy(stackA, { resource: resources });
  // Kept only when Terraform refused for the expected reason: anything else (a timeout) runs again.
  const plan = await kept("account-role-destroy-plan", dir, () => terraform(dir, ["plan", "-destroy", "-refresh=false", "-lock=false", "-no-color"]), (p) => /Instance cannot be destroyed/.test(p.output));
  expect(plan.status).not.toBe(0);
  expect(plan.output).toMatch(/Instance cannot be destroyed/);
  expect(plan.output).toContain("aws_api_gateway_account.account");
}, 180_000);
