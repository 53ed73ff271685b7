/**
 * Issue 9 §3: what a change to an environment (or its removal) does to account-wide and
 * long-lived resources: the API Gateway account's logging role, client secrets' recovery
 * window, alarm subscriptions, the Terraform version the features need; and the alarms'
 * AWS details (Cognito usage metric dimensions, the alarm key's conditions).
 */
import defaultConfig from "../fixtures/single-api.config";
import { resourceOf, resourcesOf, synthConfig, synthDefault } from "../support/synth";

const { dev, prod } = synthDefault();

/** The account-wide logging role's three resources, by Terraform address. */
const ACCOUNT_ROLE = ["aws_api_gateway_account.account", "aws_iam_role.api_gateway_cloudwatch", "aws_iam_role_policy_attachment.api_gateway_cloudwatch"];

function removedBlocks(json: unknown): { from: string; lifecycle: { destroy: boolean } }[] {
  return ((json as { removed?: unknown[] }).removed ?? []) as { from: string; lifecycle: { destroy: boolean } }[];
}

describe("the API Gateway account's CloudWatch role (account-wide; provider 6 resets it on destroy)", () => {
  test("where it is managed, Terraform refuses to destroy it or its role (a destroy would break logging of every API in the account and region)", () => {
    for (const address of ACCOUNT_ROLE) {
      const [type, name] = address.split(".") as [string, string];
      expect({ address, lifecycle: resourceOf(prod!, type, name).lifecycle }).toEqual({ address, lifecycle: { prevent_destroy: true } });
    }
    expect(removedBlocks(prod!.json)).toEqual([]);
  });

  test("where it is not managed, a stack that once managed it forgets it instead of destroying it (removed, destroy = false)", () => {
    // Turning manageAccountRole off (or access logs off) drops the resources from the config; without
    // these blocks Terraform would plan their destruction, and the provider resets the account's role.
    expect(removedBlocks(dev!.json)).toEqual(ACCOUNT_ROLE.map((from) => ({ from, lifecycle: { destroy: false } })));
    const config = structuredClone(defaultConfig) as any;
    config.environments[1].accessLogs = { manageAccountRole: false };
    const prodWithout = synthConfig(config).prod!;
    expect(prodWithout.json.resource.aws_api_gateway_account).toBeUndefined();
    expect(removedBlocks(prodWithout.json).map((b) => b.from)).toEqual(ACCOUNT_ROLE);
  });

  test("turning an environment's own access logs off leaves the role it owns alone", () => {
    const config = structuredClone(defaultConfig) as any;
    config.environments[1].accessLogs = { enabled: false, manageAccountRole: true };
    const prodNoLogs = synthConfig(config).prod!;
    expect(prodNoLogs.json.resource.aws_cloudwatch_log_group?.access_logs).toBeUndefined();
    for (const address of ACCOUNT_ROLE) {
      const [type, name] = address.split(".") as [string, string];
      expect(resourceOf(prodNoLogs, type, name).lifecycle).toEqual({ prevent_destroy: true });
    }
    expect(removedBlocks(prodNoLogs.json)).toEqual([]);
  });
});

describe("client secrets' recovery window", () => {
  test("development deletes at once, so destroy + redeploy (or remove + re-add a client) can re-create the same names", () => {
    for (const secret of Object.values(resourcesOf(dev!, "aws_secretsmanager_secret"))) expect(secret.recovery_window_in_days).toBe(0);
  });

  test("production keeps a recovery window: 30 days with deletion protection, 7 without", () => {
    for (const secret of Object.values(resourcesOf(prod!, "aws_secretsmanager_secret"))) expect(secret.recovery_window_in_days).toBe(30);
    const config = structuredClone(defaultConfig) as any;
    config.environments[1].deletionProtection = false;
    for (const secret of Object.values(resourcesOf(synthConfig(config).prod!, "aws_secretsmanager_secret"))) expect(secret.recovery_window_in_days).toBe(7);
  });
});

describe("alarm e-mail subscriptions", () => {
  test("are keyed by address: reordering the list changes no Terraform address", () => {
    const config = structuredClone(defaultConfig) as any;
    config.environments[1].alarms = { emails: ["platform-oncall@example.com", "security.team@example.org"] };
    const before = synthConfig(config).prod!;
    config.environments[1].alarms = { emails: ["security.team@example.org", "platform-oncall@example.com"] };
    const after = synthConfig(config).prod!;
    const subscriptions = resourcesOf(before, "aws_sns_topic_subscription");
    expect(Object.keys(subscriptions).sort()).toEqual(["alarms_platform-oncall_at_example_com", "alarms_security_team_at_example_org"]);
    expect(subscriptions["alarms_security_team_at_example_org"]).toMatchObject({ protocol: "email", endpoint: "security.team@example.org" });
    const strip = (r: Record<string, Record<string, unknown>>) => Object.fromEntries(Object.entries(r).map(([k, { "//": _m, ...v }]) => [k, v]));
    expect(strip(resourcesOf(after, "aws_sns_topic_subscription"))).toEqual(strip(subscriptions));
  });
});

describe("Terraform version", () => {
  test("every stack requires the Terraform its features need: removed blocks (1.7), S3 native locking (1.10)", () => {
    expect(prod!.json.terraform.required_version).toBe(">= 1.10.0");
    expect(prod!.json.terraform.backend.s3.use_lockfile).toBe(true);
    expect(dev!.json.terraform.required_version).toBe(">= 1.7.0");
    const config = structuredClone(defaultConfig) as any;
    config.environments[1].backend.dynamodbTable = "terraform-locks";
    expect(synthConfig(config).prod!.json.terraform.required_version).toBe(">= 1.7.0");
  });
});

describe("alarms match what AWS publishes and admits", () => {
  test("the Cognito throttle alarm uses AWS/Usage's dimensions for Cognito exactly: Service, Type, Resource (Cognito publishes no Class)", () => {
    // An alarm's dimensions must equal the metric's: an extra Class dimension names a metric that never exists.
    expect(resourceOf(prod!, "aws_cloudwatch_metric_alarm", "cognito_token_throttles")).toMatchObject({
      namespace: "AWS/Usage",
      metric_name: "ThrottleCount",
      dimensions: { Service: "Cognito User Pools", Type: "API", Resource: "ClientAuthentication" },
    });
    expect(Object.keys(resourceOf(prod!, "aws_cloudwatch_metric_alarm", "cognito_token_throttles").dimensions).sort()).toEqual(["Resource", "Service", "Type"]);
  });

  test("CloudWatch may use the topic key only for this account's alarms of this stack (confused-deputy conditions)", () => {
    const policy = resourceOf(prod!, "aws_kms_key", "alarms").policy as string;
    expect(policy).toContain('"StringEquals" = {"aws:SourceAccount" = data.aws_caller_identity.current.account_id}');
    expect(policy).toContain('"ArnLike" = {"aws:SourceArn" = "arn:${data.aws_partition.current.partition}:cloudwatch:eu-west-1:${data.aws_caller_identity.current.account_id}:alarm:m2m-demo-api-prod-*"}');
    // Every alarm of the stack falls under that pattern.
    for (const alarm of Object.values(resourcesOf(prod!, "aws_cloudwatch_metric_alarm"))) expect(alarm.alarm_name).toMatch(/^m2m-demo-api-prod-/);
  });
});
