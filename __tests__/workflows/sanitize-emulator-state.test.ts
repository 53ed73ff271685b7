/**
 * The state sanitizer on a REAL state: real Terraform applies, with the AWS provider from the
 * project's mirror, the project's secret-bearing resources (user pool, resource server, an app
 * client with a generated secret, its Secrets Manager secret version holding the client secret as
 * JSON, a sensitive output) to moto_server on 127.0.0.1, the emulator the Terraform tier uses; a
 * topic tag carries a copy of the secret through nonsensitive(), the way provider default_tags
 * would. The schema is that provider's own `terraform providers schema -json`. (The full prod
 * stack is applied by __tests__/terraform/emulator-tier.test.ts; here only what holds secrets,
 * which keeps the run short on a shared machine.) Skipped, with the reason in its title, where
 * terraform, the mirror or moto_server is missing.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { tempDir } from "../support/synth";
import { terraformTierDescribe } from "../terraform/tier-gate";
import { startMotoServer, type MotoServer } from "../../verify/moto-server";
import { cacheRoot, providerWorkspace } from "../../verify/provider-workspace";
import { keptTerraformResult, motoVersion, TierResultCache } from "../../verify/tier-result-cache";
import { MIRROR_PROVIDER_VERSION, terraform } from "../../verify/terraform-cli";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { accountOf, createStsServer } = require(path.join(path.resolve(__dirname, "..", ".."), ".github", "scripts", "offline-sts.js")) as {
  accountOf(snapshot: unknown): string;
  createStsServer(account: string): import("node:http").Server;
};

const ROOT = path.resolve(__dirname, "..", "..");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { sanitizeState } = require(path.join(ROOT, ".github", "scripts", "sanitize-state.js")) as {
  sanitizeState(state: unknown, schema: unknown): { state: any; removedPaths: string[]; copyPaths: string[] };
};

/** The port the kept apply is keyed by: the real one is a per-run detail. */
const KEYED_ENDPOINT = "http://127.0.0.1:4566";
const results = () => new TierResultCache(path.join(cacheRoot(), "results"));

function secretBearingConfig(endpoint: string): unknown {
  const client = "aws_cognito_user_pool_client.client_billing";
  return {
    terraform: { required_providers: { aws: { source: "hashicorp/aws", version: MIRROR_PROVIDER_VERSION } } },
    provider: {
      aws: [
        {
          region: "eu-west-1",
          access_key: "AKIAPLACEHOLDER00000",
          secret_key: "placeholder",
          skip_credentials_validation: true,
          skip_requesting_account_id: true,
          skip_metadata_api_check: true,
          skip_region_validation: true,
          endpoints: [{ cognitoidp: endpoint, secretsmanager: endpoint, sns: endpoint, sts: endpoint }],
        },
      ],
    },
    data: { aws_caller_identity: { current: {} } },
    resource: {
      aws_cognito_user_pool: { pool: { name: "m2m-demo-api-prod" } },
      aws_cognito_resource_server: {
        resource_server: { identifier: "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod", name: "M2M demo API", user_pool_id: "${aws_cognito_user_pool.pool.id}", scope: [{ scope_name: "payments.read", scope_description: "Read payment state" }] },
      },
      aws_cognito_user_pool_client: {
        client_billing: {
          name: "m2m-demo-api-prod-billing",
          user_pool_id: "${aws_cognito_user_pool.pool.id}",
          generate_secret: true,
          allowed_oauth_flows: ["client_credentials"],
          allowed_oauth_flows_user_pool_client: true,
          allowed_oauth_scopes: ["${aws_cognito_resource_server.resource_server.identifier}/payments.read"],
        },
      },
      aws_secretsmanager_secret: { client_secret_billing: { name: "m2m-demo-api/prod/billing", recovery_window_in_days: 0 } },
      aws_secretsmanager_secret_version: {
        client_secret_billing: {
          secret_id: "${aws_secretsmanager_secret.client_secret_billing.id}",
          secret_string: `\${jsonencode({ clientId = ${client}.id, clientSecret = ${client}.client_secret })}`,
        },
      },
      aws_sns_topic: { alarms: { name: "m2m-demo-api-prod-alarms", tags: { Leak: `\${nonsensitive(${client}.client_secret)}` } } },
    },
    output: { client_secrets: { value: { billing: { clientId: `\${${client}.id}`, clientSecret: `\${${client}.client_secret}` } }, sensitive: true } },
  };
}

const gate = terraformTierDescribe(true);

gate.describe(gate.title("sanitizing a state real Terraform applied to the emulator"), () => {
  jest.setTimeout(600_000);
  let root: string;
  let moto: MotoServer | undefined;
  let raw: any;
  let schema: unknown;

  beforeAll(async () => {
    root = tempDir("sanitize-emulator");
    const workspace = await providerWorkspace();
    // The applied state is kept by the configuration's exact bytes (as written for a fixed port),
    // the provider lock and moto's version (verify/tier-result-cache): one real apply per machine.
    fs.writeFileSync(path.join(root, "main.tf.json"), JSON.stringify(secretBearingConfig(KEYED_ENDPOINT)));
    workspace.linkInto(root);
    const motoIdentity = motoVersion();
    const applied = async (): Promise<unknown> => {
      moto = await startMotoServer();
      fs.writeFileSync(path.join(root, "main.tf.json"), JSON.stringify(secretBearingConfig(moto.endpoint)));
      await terraform(root, ["apply", "-auto-approve", "-input=false", "-no-color"], { env: workspace.env });
      return JSON.parse(fs.readFileSync(path.join(root, "terraform.tfstate"), "utf8"));
    };
    raw = motoIdentity === null ? await applied() : (await keptTerraformResult(results(), { tier: "sanitize-apply", copyDir: root, extra: [`moto ${motoIdentity}`] }, applied)).result;
    // `terraform providers schema -json` of this provider, as the shared workspace printed it once.
    schema = JSON.parse(fs.readFileSync(workspace.schemaFile, "utf8"));
  });
  afterAll(async () => {
    await moto?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("removes the generated client secret everywhere (attribute, secret version, output, a tag copy), keeping ids", () => {
    const client = raw.resources.find((r: any) => r.type === "aws_cognito_user_pool_client").instances[0];
    const version = raw.resources.find((r: any) => r.type === "aws_secretsmanager_secret_version").instances[0];
    const secret = client.attributes.client_secret as string;
    expect(secret.length).toBeGreaterThan(20);
    expect(raw.version).toBe(4);
    expect(client.sensitive_attributes.length).toBeGreaterThan(0); // Terraform's own record of the marks, as written by this version

    const { state, removedPaths, copyPaths } = sanitizeState(raw, schema);
    const text = JSON.stringify(state);
    expect(text.includes(secret)).toBe(false);
    expect(text.includes(version.attributes.secret_string)).toBe(false);
    expect(removedPaths).toEqual(
      expect.arrayContaining([
        "aws_cognito_user_pool_client.client_billing.client_secret",
        "aws_secretsmanager_secret_version.client_secret_billing.secret_string",
        "output.client_secrets",
      ]),
    );
    expect(copyPaths.some((p) => p.includes(".tags"))).toBe(true);
    expect(text).toContain(client.attributes.id);
    expect([state.lineage, state.serial]).toEqual([raw.lineage, raw.serial]);
    console.log(`sanitized a real Terraform ${raw.terraform_version} state: ${raw.resources.length} resources, removed ${removedPaths.join(", ")}; copies: ${copyPaths.join(", ")}`);
  });

  it("a pull-request-style plan runs on the snapshot: -refresh=false -lock=false, placeholder credentials, the STS stand-in, no secret printed", async () => {
    const { state } = sanitizeState(raw, schema);
    const dir = path.join(root, "offline-plan");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "terraform.tfstate"), JSON.stringify(state));
    const sts = createStsServer(accountOf(state));
    await new Promise<void>((resolve) => sts.listen(0, "127.0.0.1", resolve));
    try {
      const config = secretBearingConfig("http://127.0.0.1:9") as any; // every service but STS points at a closed port
      const { port } = sts.address() as import("node:net").AddressInfo;
      config.provider.aws[0].endpoints = [{ sts: `http://127.0.0.1:${port}`, cognitoidp: "http://127.0.0.1:9", secretsmanager: "http://127.0.0.1:9", sns: "http://127.0.0.1:9" }];
      config.provider.aws[0].access_key = "placeholder-no-credentials";
      config.provider.aws[0].secret_key = "placeholder-no-credentials";
      fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify(config));
      const workspace = await providerWorkspace();
      workspace.linkInto(dir);
      // Kept by the snapshot's and configuration's bytes (the stand-in's port aside) and the stand-in's source.
      const stsSource = fs.readFileSync(path.join(ROOT, ".github", "scripts", "offline-sts.js"), "utf8");
      const { result: plan } = await keptTerraformResult(results(), { tier: "sanitize-plan", copyDir: dir, extra: [JSON.stringify(state), stsSource], volatile: [`http://127.0.0.1:${port}`] }, () =>
        terraform(dir, ["plan", "-refresh=false", "-lock=false", "-input=false", "-no-color"], { env: workspace.env }),
      );
      const secret = raw.resources.find((r: any) => r.type === "aws_cognito_user_pool_client").instances[0].attributes.client_secret as string;
      expect(plan.stdout).toMatch(/Plan: \d+ to add, \d+ to change, \d+ to destroy\.|No changes\./);
      expect(plan.stdout.includes(secret)).toBe(false);
      console.log(`offline plan on the snapshot: ${/Plan: .*|No changes\./.exec(plan.stdout)?.[0]} in ${plan.seconds.toFixed(1)} s`);
    } finally {
      await new Promise((resolve) => sts.close(resolve));
    }
  });
});
