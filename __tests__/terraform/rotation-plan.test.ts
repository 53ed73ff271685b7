/**
 * The real Terraform (1.11, AWS provider 5.100 from the filesystem mirror) plans a rotating
 * secret's version, as synthesized, against a state in which rotation has changed the value:
 * the plan leaves it alone; a scope change of the app client does not touch it either; a
 * replaced app client (new id) replaces it; and without the synthesized lifecycle the plan would
 * replace it, writing the first secret back as current. No AWS account: `-refresh=false`, fake
 * credentials, no data sources. Skipped (with a note) where terraform or the mirror is absent.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { resourceOf, synthDefault, tempDir } from "../support/synth";
import { cacheRoot, providerWorkspace } from "../../verify/provider-workspace";
import { keptTerraformResult, TierResultCache } from "../../verify/tier-result-cache";

const MIRROR = "/opt/tf-plugins";
const available = (() => {
  try {
    execFileSync("terraform", ["version"], { stdio: "ignore" });
    return fs.existsSync(MIRROR);
  } catch {
    return false;
  }
})();
if (!available) process.stderr.write("rotation-plan: terraform or /opt/tf-plugins missing, Terraform plan tier skipped\n");
const describeTier = available ? describe : describe.skip;

const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:m2m-demo-api/prod/reader-AbCdEf";
const POOL = "eu-west-1_AbCdEfGhI";
const CLIENT_ID = "1example23456789abcdefghij";
const value = (secret: string) => JSON.stringify({ clientId: CLIENT_ID, clientSecret: secret, tokenEndpoint: "https://m2m-demo-prod.auth.eu-west-1.amazoncognito.com/oauth2/token", scopes: ["x/read"] });

let dir: string;
let synthesizedLifecycle: Record<string, unknown>;

let workspaceEnv: NodeJS.ProcessEnv;

function terraform(args: string[]): string {
  return execFileSync("terraform", args, { cwd: dir, env: workspaceEnv, encoding: "utf8", timeout: 120_000 });
}

/**
 * The plan's action per address, for a configuration built from the synthesized version. A plan
 * of these exact bytes (configuration, state, provider lock) is kept (verify/tier-result-cache).
 */
async function plannedActions(options: { lifecycle?: Record<string, unknown>; userPoolId?: string; scopes?: string[] }): Promise<Record<string, string[]>> {
  const config = {
    terraform: { required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } } },
    provider: { aws: [{ region: "eu-west-1", access_key: "offline", secret_key: "offline", skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: true }] },
    resource: {
      aws_cognito_user_pool_client: {
        client_reader: { name: "reader", user_pool_id: options.userPoolId ?? POOL, generate_secret: true, allowed_oauth_scopes: options.scopes ?? ["x/read"] },
      },
      aws_secretsmanager_secret_version: {
        client_reader_initial: {
          secret_id: SECRET_ARN,
          // What Terraform wrote at creation: the app client's first secret.
          secret_string: value("first-secret-from-the-app-client"),
          ...(options.lifecycle ? { lifecycle: options.lifecycle } : {}),
        },
      },
    },
  };
  fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify(config, null, 2));
  const state = fs.readFileSync(path.join(dir, "terraform.tfstate"), "utf8");
  const { result } = await keptTerraformResult(new TierResultCache(path.join(cacheRoot(), "results")), { tier: "rotation-plan", copyDir: dir, extra: [state] }, async () => {
    terraform(["plan", "-refresh=false", "-input=false", "-lock=false", "-no-color", "-out=plan.tfplan"]);
    const plan = JSON.parse(terraform(["show", "-json", "plan.tfplan"])) as { resource_changes: { address: string; change: { actions: string[] } }[] };
    return Object.fromEntries(plan.resource_changes.map((c) => [c.address, c.change.actions]));
  });
  return result;
}

const sensitive = (...names: string[]) => names.map((n) => [{ type: "get_attr", value: n }]);

describeTier("Terraform after a rotation (real plan, provider 5.100)", () => {
  beforeAll(async () => {
    synthesizedLifecycle = resourceOf(synthDefault().prod!, "aws_secretsmanager_secret_version", "client_reader_initial").lifecycle as Record<string, unknown>;
    dir = tempDir("rotation-plan");
    // State after one rotation: the version Terraform created holds AWSPREVIOUS, and its value is
    // no longer what Terraform wrote (the rotation function put the new secret in a newer version;
    // this models the harder case of the value differing from the configuration).
    const state = {
      version: 4,
      terraform_version: "1.11.4",
      serial: 3,
      lineage: "6a0c5f5e-2c1e-4d55-9a51-0d3b9e1f7a21",
      outputs: {},
      resources: [
        {
          mode: "managed", type: "aws_cognito_user_pool_client", name: "client_reader", provider: 'provider["registry.terraform.io/hashicorp/aws"]',
          instances: [{ schema_version: 0, attributes: { id: CLIENT_ID, name: "reader", user_pool_id: POOL, generate_secret: true, client_secret: "first-secret-from-the-app-client", allowed_oauth_scopes: ["x/read"] }, sensitive_attributes: sensitive("client_secret") }],
        },
        {
          mode: "managed", type: "aws_secretsmanager_secret_version", name: "client_reader_initial", provider: 'provider["registry.terraform.io/hashicorp/aws"]',
          instances: [{
            schema_version: 0,
            attributes: { id: `${SECRET_ARN}|11111111-2222-3333-4444-555555555555`, arn: SECRET_ARN, secret_id: SECRET_ARN, secret_string: value("rotated-by-the-rotation-function"), secret_binary: "", version_id: "11111111-2222-3333-4444-555555555555", version_stages: ["AWSPREVIOUS"] },
            sensitive_attributes: sensitive("secret_binary", "secret_string", "secret_string_wo"),
            dependencies: ["aws_cognito_user_pool_client.client_reader"],
          }],
        },
      ],
    };
    fs.writeFileSync(path.join(dir, "terraform.tfstate"), JSON.stringify(state));
    // The shared, initialised provider (verify/provider-workspace): no `init` of its own, which
    // would copy and hash the 700 MB provider again.
    const workspace = await providerWorkspace();
    workspaceEnv = workspace.env;
    workspace.linkInto(dir);
  }, 180_000);
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("the synthesized lifecycle: the rotated value is left alone", async () => {
    expect(synthesizedLifecycle).toEqual({ ignore_changes: ["secret_string", "version_stages"], replace_triggered_by: ["aws_cognito_user_pool_client.client_reader.id"] });
    expect((await plannedActions({ lifecycle: synthesizedLifecycle }))["aws_secretsmanager_secret_version.client_reader_initial"]).toEqual(["no-op"]);
  }, 120_000);

  test("a scope change of the app client updates the client, not the secret", async () => {
    const actions = await plannedActions({ lifecycle: synthesizedLifecycle, scopes: ["x/read", "x/write"] });
    expect(actions["aws_cognito_user_pool_client.client_reader"]).toEqual(["update"]);
    expect(actions["aws_secretsmanager_secret_version.client_reader_initial"]).toEqual(["no-op"]);
  }, 120_000);

  test("a replaced app client (new id, new secret) replaces the version", async () => {
    const actions = await plannedActions({ lifecycle: synthesizedLifecycle, userPoolId: "eu-west-1_ZyXwVuTsR" });
    expect(actions["aws_cognito_user_pool_client.client_reader"]).toEqual(["delete", "create"]);
    expect(actions["aws_secretsmanager_secret_version.client_reader_initial"]).toEqual(["delete", "create"]);
  }, 120_000);

  test("control: without the lifecycle the plan would replace the version, writing the first secret back", async () => {
    expect((await plannedActions({}))["aws_secretsmanager_secret_version.client_reader_initial"]).toEqual(["delete", "create"]);
  }, 120_000);
});
