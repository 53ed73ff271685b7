/**
 * Issue 12's Terraform: the client-secrets key, the rotation function and its schedules, the
 * secrets Terraform stops owning after creation, partner consumers, the user pool's web ACL and
 * WAF logs, the explicit feature plan, and the config checks that guard them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import defaultConfig from "../fixtures/single-api.config";
import type { M2MConfigInput } from "../../model/config-types";
import { ConfigValidationError, formatProblem } from "../../model/problems";
import { validateConfig } from "../../model/validate";
import { resourceOf, resourcesOf, synthConfig, tempDir } from "../support/synth";

type Mutable = Record<string, any>;
function variant(change: (c: Mutable) => void): M2MConfigInput {
  const config = structuredClone(defaultConfig) as unknown as Mutable;
  change(config);
  return config as M2MConfigInput;
}

const outdir = tempDir("rotation");
const stacks = synthConfig(
  variant((c) => {
    const reader = c.clients.find((x: Mutable) => x.name === "reader");
    reader.consumers = ["arn:aws:iam::123456789012:role/partner"];
    reader.overrides = { prod: { secretRotation: { everyDays: 7 } } };
    c.clients.find((x: Mutable) => x.name === "writer").secretRotation = { enabled: false };
  }),
  outdir,
);
const dev = stacks.dev!;
const prod = stacks.prod!;

describe("rotation in production (on by default, every 30 days, per-client override)", () => {
  test("one function per environment: bundled, traced, its own log group, the pool and grace period in its environment", () => {
    expect(resourceOf(prod, "aws_lambda_function", "secret_rotation")).toMatchObject({
      function_name: "m2m-demo-api-prod-secret-rotation",
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      source_code_hash: "${data.archive_file.secret_rotation.output_base64sha256}",
      tracing_config: { mode: "Active" },
      role: "${aws_iam_role.secret_rotation.arn}",
      environment: {
        variables: { USER_POOL_ID: "${aws_cognito_user_pool.user_pool.id}", TOKEN_ENDPOINT: "https://m2m-demo-prod.auth.eu-west-1.amazoncognito.com/oauth2/token", GRACE_PERIOD_SECONDS: "86400" },
      },
      depends_on: ["aws_cloudwatch_log_group.secret_rotation", "aws_iam_role_policy.secret_rotation_logs"],
    });
    expect(resourceOf(prod, "aws_cloudwatch_log_group", "secret_rotation")).toMatchObject({ name: "/aws/lambda/m2m-demo-api-prod-secret-rotation", retention_in_days: 365 });
    const source = prod.json.data!.archive_file!.secret_rotation!.source_file as string;
    const bundle = fs.readFileSync(path.join(outdir, "stacks", "prod", source), "utf8");
    expect(bundle).toContain("AddUserPoolClientSecret");
    expect(bundle).not.toContain("cdktf");
    expect(bundle.length).toBeLessThan(1024 * 1024);
  });

  test("a schedule per rotating client: the environment's 30 days, a client's 7, none for a client that opts out", () => {
    const rotations = resourcesOf(prod, "aws_secretsmanager_secret_rotation");
    expect(Object.keys(rotations).sort()).toEqual(["client_3rd-party", "client_billing", "client_reader"]);
    expect(rotations.client_reader).toMatchObject({
      secret_id: "${aws_secretsmanager_secret.client_reader.id}",
      rotation_lambda_arn: "${aws_lambda_function.secret_rotation.arn}",
      rotation_rules: { automatically_after_days: 7 },
      rotate_immediately: false,
      // The initial version too: Secrets Manager tests the function when rotation is set, which needs an AWSCURRENT.
      depends_on: ["aws_lambda_permission.secret_rotation_reader", "aws_iam_role_policy.secret_rotation_access", "aws_secretsmanager_secret_version.client_reader_initial"],
    });
    expect(rotations["client_3rd-party"]!.rotation_rules).toEqual({ automatically_after_days: 30 });
  });

  test("an Errors alarm on the rotation function, to the stack's alarm topic", () => {
    expect(resourceOf(prod, "aws_cloudwatch_metric_alarm", "secret_rotation_errors")).toMatchObject({
      alarm_name: "m2m-demo-api-prod-secret-rotation-errors",
      namespace: "AWS/Lambda",
      metric_name: "Errors",
      dimensions: { FunctionName: "${aws_lambda_function.secret_rotation.function_name}" },
      statistic: "Sum",
      threshold: 0,
      comparison_operator: "GreaterThanThreshold",
      alarm_actions: ["${aws_sns_topic.alarms.arn}"],
    });
  });

  test("only Secrets Manager, for that one secret and this account, may invoke the function", () => {
    expect(resourceOf(prod, "aws_lambda_permission", "secret_rotation_reader")).toEqual({
      statement_id: "AllowSecretsManager-reader",
      action: "lambda:InvokeFunction",
      function_name: "${aws_lambda_function.secret_rotation.function_name}",
      principal: "secretsmanager.amazonaws.com",
      source_arn: "${aws_secretsmanager_secret.client_reader.arn}",
      source_account: "${data.aws_caller_identity.client_secrets.account_id}",
    });
  });

  test("the role: client-secret actions on this pool, rotation actions on the rotating secrets, the key through Secrets Manager", () => {
    const policy = resourceOf(prod, "aws_iam_role_policy", "secret_rotation_access").policy as string;
    // DescribeUserPoolClient: each rotation writes the app client's scopes as they are now.
    expect(policy).toContain(
      '"Action" = ["cognito-idp:AddUserPoolClientSecret", "cognito-idp:ListUserPoolClientSecrets", "cognito-idp:DeleteUserPoolClientSecret", "cognito-idp:DescribeUserPoolClient"], "Resource" = aws_cognito_user_pool.user_pool.arn',
    );
    expect(policy).toContain('"Resource" = [aws_secretsmanager_secret.client_3rd-party.arn, aws_secretsmanager_secret.client_reader.arn, aws_secretsmanager_secret.client_billing.arn]');
    expect(policy).not.toContain("client_writer");
    expect(policy).toContain('"Resource" = aws_kms_key.client_secrets.arn, "Condition" = {"StringEquals" = {"kms:ViaService" = "secretsmanager.eu-west-1.amazonaws.com"}}');
    expect(policy).not.toMatch(/"\*"/);
  });

  test("Terraform writes a rotating secret's first value only, and reads no rotating client_secret elsewhere", () => {
    expect(resourceOf(prod, "aws_secretsmanager_secret_version", "client_reader_initial").lifecycle).toEqual({
      ignore_changes: ["secret_string", "version_stages"],
      replace_triggered_by: ["aws_cognito_user_pool_client.client_reader.id"],
    });
    // The opted-out client keeps a version Terraform owns.
    expect(resourceOf(prod, "aws_secretsmanager_secret_version", "client_writer").lifecycle).toBeUndefined();
    const readers = prod.text.split("\n").filter((line) => /client_(reader|3rd-party|billing)\.client_secret/.test(line));
    expect(readers.every((line) => line.includes('"secret_string"'))).toBe(true);
    expect(Object.keys(prod.json.output.client_secrets!.value as object)).toEqual(["writer"]);
  });
});

describe("development: rotation off by default, secrets still under the environment's key", () => {
  test("no rotation function, no schedules, versions Terraform owns", () => {
    expect(dev.json.resource.aws_lambda_function?.secret_rotation).toBeUndefined();
    expect(dev.json.resource.aws_secretsmanager_secret_rotation).toBeUndefined();
    for (const version of Object.values(resourcesOf(dev, "aws_secretsmanager_secret_version"))) expect(version.lifecycle).toBeUndefined();
    expect(resourceOf(dev, "aws_secretsmanager_secret", "client_reader").kms_key_id).toBe("${aws_kms_key.client_secrets.arn}");
    expect(resourceOf(dev, "aws_kms_key", "client_secrets").policy).not.toContain("secret_rotation");
  });
});

describe("the client-secrets key and partner access", () => {
  test("key policy: the account administers; the partner decrypts its own secret through Secrets Manager only", () => {
    const key = resourceOf(prod, "aws_kms_key", "client_secrets");
    expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    const policy = key.policy as string;
    expect(policy).toContain('"Principal" = {"AWS" = ["arn:aws:iam::123456789012:role/partner"]}, "Action" = "kms:Decrypt"');
    expect(policy).toContain(
      '"kms:EncryptionContext:SecretARN" = "arn:${data.aws_partition.client_secrets.partition}:secretsmanager:eu-west-1:${data.aws_caller_identity.client_secrets.account_id}:secret:m2m-demo-api/prod/reader-??????"',
    );
    expect(policy).toContain('"Principal" = {"AWS" = aws_iam_role.secret_rotation.arn}');
    expect(policy.match(/"Principal"/g)).toHaveLength(3);
    expect(resourceOf(prod, "aws_kms_alias", "client_secrets").name).toBe("alias/m2m-demo-api-prod-client-secrets");
  });

  test("the partner's secret policy: read that secret's current value, public policies blocked", () => {
    const policy = resourceOf(prod, "aws_secretsmanager_secret_policy", "client_reader");
    expect(policy).toMatchObject({ secret_arn: "${aws_secretsmanager_secret.client_reader.arn}", block_public_policy: true });
    expect(JSON.parse(policy.policy as string).Statement).toEqual([
      {
        Sid: "ConsumersReadThisSecret",
        Effect: "Allow",
        Principal: { AWS: ["arn:aws:iam::123456789012:role/partner"] },
        Action: ["secretsmanager:GetSecretValue"],
        Resource: "*",
        // A version's labels are a set: ForAnyValue, as AWS documents for this key.
        Condition: { "ForAnyValue:StringEquals": { "secretsmanager:VersionStage": "AWSCURRENT" } },
      },
      // DescribeSecret does not carry the key: its own statement, or it is never granted.
      { Sid: "ConsumersDescribeThisSecret", Effect: "Allow", Principal: { AWS: ["arn:aws:iam::123456789012:role/partner"] }, Action: ["secretsmanager:DescribeSecret"], Resource: "*" },
    ]);
    expect(Object.keys(resourcesOf(prod, "aws_secretsmanager_secret_policy"))).toEqual(["client_reader"]);
  });
});

describe("the token endpoint's web ACL, WAF logs, the feature plan, reserved concurrency", () => {
  test("a per-IP rate rule on /oauth2/token of 4,500 per 5 minutes, associated with the user pool", () => {
    expect(resourceOf(prod, "aws_wafv2_web_acl", "user_pool")).toMatchObject({
      scope: "REGIONAL",
      rule: [
        {
          name: "token-endpoint-rate-limit-per-source-ip",
          action: { block: {} },
          statement: {
            rate_based_statement: {
              limit: 4500,
              aggregate_key_type: "IP",
              scope_down_statement: { byte_match_statement: { search_string: "/oauth2/token", positional_constraint: "STARTS_WITH", field_to_match: { uri_path: {} } } },
            },
          },
        },
      ],
    });
    expect(resourceOf(prod, "aws_wafv2_web_acl_association", "user_pool")).toEqual({ resource_arn: "${aws_cognito_user_pool.user_pool.arn}", web_acl_arn: "${aws_wafv2_web_acl.user_pool.arn}" });
    expect(dev.json.resource.aws_wafv2_web_acl).toBeUndefined();
  });

  test("both ACLs log to aws-waf-logs-* groups with retention, the authorization header redacted", () => {
    for (const name of ["api_waf", "user_pool_waf"]) {
      expect(resourceOf(prod, "aws_cloudwatch_log_group", name)).toMatchObject({ name: expect.stringMatching(/^aws-waf-logs-m2m-demo-api-prod-/), retention_in_days: 365 });
      expect(resourceOf(prod, "aws_wafv2_web_acl_logging_configuration", name)).toMatchObject({
        log_destination_configs: [`\${aws_cloudwatch_log_group.${name}.arn}`],
        redacted_fields: [{ single_header: { name: "authorization" } }],
      });
    }
  });

  test("the user pool's plan is explicit; reserved concurrency is opt-in, production included (a fresh account could not spare it)", () => {
    expect(resourceOf(dev, "aws_cognito_user_pool", "user_pool").user_pool_tier).toBe("ESSENTIALS");
    expect(resourceOf(prod, "aws_lambda_function", "scope_checker").reserved_concurrent_executions).toBeUndefined();
    expect(resourceOf(dev, "aws_lambda_function", "scope_checker").reserved_concurrent_executions).toBeUndefined();
    const plus = synthConfig(variant((c) => Object.assign(c.environments[1], { userPoolTier: "PLUS", threatProtection: "ENFORCED" }))).prod!;
    expect(resourceOf(plus, "aws_cognito_user_pool", "user_pool")).toMatchObject({ user_pool_tier: "PLUS", user_pool_add_ons: { advanced_security_mode: "ENFORCED" } });
  });
});

describe("config checks, all problems at once", () => {
  function problems(change: (c: Mutable) => void): string[] {
    try {
      validateConfig(variant(change));
    } catch (error) {
      if (error instanceof ConfigValidationError) return error.problems.map(formatProblem);
      throw error;
    }
    return [];
  }

  test.each([
    ["threat protection below PLUS", (c: Mutable) => (c.environments[1].threatProtection = "AUDIT"), 'environments[1].threatProtection: needs userPoolTier "PLUS" (Cognito\'s threat protection is a Plus feature; the tier is "ESSENTIALS") (got "AUDIT")'],
    ["a grace period as long as the interval", (c: Mutable) => (c.environments[1].secretRotation = { everyDays: 1, gracePeriodHours: 24 }), "environments[1].secretRotation.gracePeriodHours: must be shorter than the rotation interval at environments[1].secretRotation.everyDays (1 days = 24 hours), or every rotation would fail (got 24)"],
    ["a client's interval below the grace period", (c: Mutable) => (c.clients[0].overrides = { prod: { secretRotation: { everyDays: 1 } } }), "environments[1].secretRotation.gracePeriodHours: must be shorter than the rotation interval at clients[0].overrides.prod.secretRotation.everyDays (1 days = 24 hours), or every rotation would fail (got 24)"],
    ["an interval beyond Secrets Manager's", (c: Mutable) => (c.environments[0].secretRotation = { enabled: true, everyDays: 1001 }), "environments[0].secretRotation.everyDays: must be from 1 to 1000 days (Secrets Manager's rotation schedule) (got 1001)"],
    ["a consumer that is not an IAM principal", (c: Mutable) => (c.clients[0].consumers = ["partner"]), 'clients[0].consumers[0]: must be an IAM role or user ARN such as arn:aws:iam::123456789012:role/partner (got "partner")'],
    ["an unknown plan", (c: Mutable) => (c.environments[0].userPoolTier = "GOLD"), 'environments[0].userPoolTier: must be one of "LITE", "ESSENTIALS", "PLUS" (got "GOLD")'],
  ])("%s", (_what, change, expected) => {
    expect(problems(change)).toEqual([expected]);
  });

  test("a disabled client never rotates, and development rotates when asked", () => {
    const model = validateConfig(variant((c) => {
      c.environments[0].secretRotation = { enabled: true, everyDays: 14 };
      c.clients[0].disabled = true;
    }));
    const devClients = model.environments[0]!.clients;
    expect(devClients.map((c) => [c.name, c.secretRotationDays])).toEqual([["3rd-party", undefined], ["reader", 14], ["writer", 14], ["billing", 14]]);
  });
});
