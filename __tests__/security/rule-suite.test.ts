/**
 * The security rule suite on real synth output: every stack of the default config and of a
 * config with every option on passes every rule, and on the latter every rule has something
 * to check (a rule that examined nothing would pass vacuously).
 */
import * as path from "node:path";
import defaultConfig from "../fixtures/single-api.config";
import severalApisConfig from "../../m2m.config";
import type { M2MConfigInput } from "../../model/config-types";
import { loadConfigFile } from "../../model/load-config";
import multiApiConfig from "./fixtures/multi-api.config";
import { ALL_RULES } from "../../security/all-rules";
import type { StackUnderCheck } from "../../security/rule";
import { runRules } from "../../security/run-rules";
import allOptionsConfig from "./fixtures/all-options.config";
import { synthesizeForCheck } from "./stacks-under-check";

function failuresOf(name: string, stack: StackUnderCheck): string[] {
  return runRules(name, stack, ALL_RULES).results.flatMap((r) => r.failures.map((f) => `${r.rule.id} ${f.address}: ${f.problem}`));
}

describe("the rule suite", () => {
  test("has unique, well-formed ids and one-line rationales", () => {
    const ids = ALL_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of ALL_RULES) {
      expect(rule.id).toMatch(/^M2M-[A-Z]{3}-\d{3}$/);
      expect(rule.rationale).not.toMatch(/\n/);
      expect(rule.rationale.length).toBeGreaterThan(20);
      expect(rule.resourceTypes.length).toBeGreaterThan(0);
    }
  });
});

describe("the default config", () => {
  const stacks = synthesizeForCheck(defaultConfig);

  test.each(Object.keys(stacks))("stack %s passes every rule", (name) => {
    expect(failuresOf(name, stacks[name])).toEqual([]);
  });

  test("marks prod as production with access logs, and dev as neither", () => {
    expect(stacks.prod.metadata).toEqual({ environmentName: "prod", production: true, accessLogsEnabled: true, backendMethods: ["POST/payments"] });
    expect(stacks.dev.metadata).toEqual({ environmentName: "dev", production: false, accessLogsEnabled: false, backendMethods: ["POST/payments"] });
  });
});

describe.each([
  ["the default config (several APIs)", severalApisConfig],
  ["the per-team example", loadConfigFile(path.join(__dirname, "..", "..", "examples", "per-team", "m2m.config.ts")) as M2MConfigInput],
  ["the multi-api fixture", multiApiConfig],
] as const)("%s", (_label, config) => {
  const stacks = synthesizeForCheck(config);

  test.each(Object.keys(stacks))("stack %s passes every rule", (name) => {
    expect(failuresOf(name, stacks[name]!)).toEqual([]);
  });
});

describe("the partner-edge example (custom domains, mutual TLS, certificate bindings)", () => {
  const stacks = synthesizeForCheck(loadConfigFile(path.join(__dirname, "..", "..", "examples", "partner-edge", "m2m.config.ts")) as M2MConfigInput);
  test.each(Object.keys(stacks))("stack %s passes every rule", (name) => {
    expect(failuresOf(name, stacks[name]!)).toEqual([]);
  });
  test("the edge rules check its domain, REST APIs, documents and truststore bucket", () => {
    const checkedBy = (id: string) => ALL_RULES.find((r) => r.id === id)!.check(stacks.prod!).checked;
    expect(checkedBy("M2M-EDG-001")).toEqual(["aws_api_gateway_domain_name.api_domain"]);
    expect([...checkedBy("M2M-EDG-002")].sort()).toEqual([
      "aws_api_gateway_base_path_mapping.api_domain_content",
      "aws_api_gateway_base_path_mapping.api_domain_payments",
      "aws_api_gateway_rest_api.content_rest_api",
      "aws_api_gateway_rest_api.payments_rest_api",
      "aws_api_gateway_rest_api_put.content_api",
      "aws_api_gateway_rest_api_put.payments_api",
    ]);
    expect(checkedBy("M2M-EDG-003")).toEqual(["aws_api_gateway_domain_name.api_domain", "aws_s3_bucket.truststore"]);
  });
});

describe("several APIs in one stack", () => {
  const prod = synthesizeForCheck(multiApiConfig).prod!;
  const checkedBy = (id: string) => ALL_RULES.find((r) => r.id === id)!.check(prod).checked;

  test("the metadata names each REST API's backend routes", () => {
    expect(prod.metadata.backendMethodsByRestApi).toEqual({ "aws_api_gateway_rest_api.orders_rest_api": ["POST/orders"], "aws_api_gateway_rest_api.invoices_rest_api": ["POST/invoices"] });
  });

  test("the rules read every API's document, stage, checker and WAF", () => {
    expect(checkedBy("M2M-API-001")).toEqual(expect.arrayContaining(["aws_api_gateway_rest_api_put.invoices_api", "aws_api_gateway_rest_api_put.orders_api"]));
    expect(checkedBy("M2M-API-002")).toEqual(expect.arrayContaining(["aws_api_gateway_rest_api_put.invoices_api", "aws_api_gateway_rest_api_put.orders_api"]));
    expect(checkedBy("M2M-API-004")).toEqual(expect.arrayContaining(["aws_api_gateway_stage.orders_stage", "aws_api_gateway_stage.invoices_stage", "aws_api_gateway_method_settings.invoices_get_invoices_id"]));
    expect(checkedBy("M2M-LAM-001")).toEqual(expect.arrayContaining(["aws_lambda_permission.orders_scope_checker", "aws_lambda_permission.invoices_scope_checker", "aws_lambda_permission.orders_backend_post_orders", "aws_lambda_permission.invoices_backend_post_invoices"]));
    expect(checkedBy("M2M-WAF-001")).toEqual(expect.arrayContaining(["aws_wafv2_web_acl.orders_api", "aws_wafv2_web_acl.invoices_api", "aws_wafv2_web_acl.user_pool"]));
    expect(checkedBy("M2M-USG-001")).toEqual(expect.arrayContaining(["client partner", "aws_api_gateway_rest_api.orders_rest_api", "aws_api_gateway_rest_api.invoices_rest_api"]));
  });

  test("a backend permission on one API's execution ARN may not name another API's route", () => {
    const broken = { json: structuredClone(prod.json), metadata: prod.metadata };
    (broken.json.resource!.aws_lambda_permission!.orders_backend_post_orders as Record<string, unknown>).source_arn = "${aws_api_gateway_rest_api.orders_rest_api.execution_arn}/*/POST/invoices";
    const failures = ALL_RULES.find((r) => r.id === "M2M-LAM-001")!.check(broken).failures;
    expect(failures).toEqual([
      {
        address: "aws_lambda_permission.orders_backend_post_orders",
        problem: expect.stringMatching(/allows POST\/invoices, which is not the method of a route of aws_api_gateway_rest_api\.orders_rest_api this function serves \(POST\/orders\)/),
      },
    ]);
  });
});

describe("a config with every option on", () => {
  const stacks = synthesizeForCheck(allOptionsConfig);
  const live = stacks.live;

  test("is a production stack with access logs", () => {
    expect(Object.keys(stacks)).toEqual(["live"]);
    expect(live.metadata).toEqual({ environmentName: "live", production: true, accessLogsEnabled: true, backendMethods: ["GET/orders/*/lines", "PUT/orders/*", "GET/rates"], limitedClients: ["finance"] });
  });

  test("passes every rule", () => {
    expect(failuresOf("live", live)).toEqual([]);
  });

  // The edge rules (M2M-EDG-*) meet their resources in the partner-edge example (below).
  test.each(ALL_RULES.filter((r) => !r.id.startsWith("M2M-EDG-")).map((r) => [r.id, r] as const))("%s checks at least one resource", (_id, rule) => {
    expect(rule.check(live).checked.length).toBeGreaterThan(0);
  });

  test("rules see the resources the options add", () => {
    const checkedBy = (id: string) => ALL_RULES.find((r) => r.id === id)!.check(live).checked;
    expect(checkedBy("M2M-API-006")).toEqual(expect.arrayContaining(["aws_wafv2_web_acl.api", "aws_wafv2_web_acl_association.api"]));
    expect(checkedBy("M2M-API-007")).toEqual(["aws_api_gateway_rest_api_put.api"]);
    expect(checkedBy("M2M-API-004")).toEqual(
      expect.arrayContaining(["aws_api_gateway_stage.stage", "aws_api_gateway_method_settings.all", "aws_api_gateway_method_settings.get_orders_id", "aws_api_gateway_method_settings.post_orders"]),
    );
    const echo = "backend_tests_fixtures_backends_echo";
    expect(checkedBy("M2M-IAM-001")).toEqual(
      expect.arrayContaining(["aws_iam_role.scope_checker", "aws_iam_role_policy.scope_checker_logs", `aws_iam_role.${echo}`, `aws_iam_role_policy.${echo}_logs`, `aws_iam_role_policy.${echo}_permissions`]),
    );
    expect([...checkedBy("M2M-IAM-002")].sort()).toEqual(["aws_iam_role.api_gateway_cloudwatch", `aws_iam_role.${echo}`, "aws_iam_role.scope_checker", "aws_iam_role.secret_rotation"]);
    // One permission per route a Lambda backend serves, the existing function's included.
    expect(checkedBy("M2M-LAM-001")).toEqual(expect.arrayContaining(["aws_lambda_permission.backend_get_orders_id_lines", "aws_lambda_permission.backend_get_rates", "aws_lambda_permission.backend_put_orders_id", "aws_lambda_permission.scope_checker"]));
    expect([...checkedBy("M2M-LAM-003")].sort()).toEqual([`aws_lambda_function.${echo}`, "aws_lambda_function.scope_checker", "aws_lambda_function.secret_rotation"]);
    // Issue 12: the rotation role's grants, the key, the partner's secret policy, rotation and WAF logging.
    expect(checkedBy("M2M-IAM-001")).toEqual(expect.arrayContaining(["aws_iam_role.secret_rotation", "aws_iam_role_policy.secret_rotation_access"]));
    expect(checkedBy("M2M-LAM-001")).toEqual(expect.arrayContaining(["aws_lambda_permission.secret_rotation_auditor", "aws_lambda_permission.secret_rotation_shop"]));
    expect(checkedBy("M2M-LAM-001")).not.toContain("aws_lambda_permission.secret_rotation_finance");
    expect(checkedBy("M2M-KMS-001")).toEqual(expect.arrayContaining(["aws_secretsmanager_secret.client_shop", "aws_kms_key.client_secrets"]));
    expect(checkedBy("M2M-KMS-002")).toEqual(["aws_secretsmanager_secret_policy.client_auditor"]);
    expect(checkedBy("M2M-ROT-001")).toEqual(
      expect.arrayContaining(["aws_secretsmanager_secret_rotation.client_auditor", "aws_secretsmanager_secret_version.client_auditor_initial", "aws_secretsmanager_secret_version.client_finance", "output.client_secrets"]),
    );
    expect([...checkedBy("M2M-WAF-001")].sort()).toEqual([
      "aws_wafv2_web_acl.api",
      "aws_wafv2_web_acl.user_pool",
      "aws_wafv2_web_acl_logging_configuration.api_waf",
      "aws_wafv2_web_acl_logging_configuration.user_pool_waf",
    ]);
    expect(checkedBy("M2M-WAF-002")).toEqual(expect.arrayContaining(["aws_wafv2_web_acl.api", "aws_cognito_user_pool.user_pool"]));
    expect(checkedBy("M2M-IAM-003")).toEqual(["aws_iam_role_policy_attachment.api_gateway_cloudwatch"]);
    expect([...checkedBy("M2M-LOG-001")].sort()).toEqual([
      "aws_cloudwatch_log_group.access_logs",
      "aws_cloudwatch_log_group.api_waf",
      `aws_cloudwatch_log_group.${echo}`,
      "aws_cloudwatch_log_group.execution_logs",
      "aws_cloudwatch_log_group.scope_checker",
      "aws_cloudwatch_log_group.secret_rotation",
      "aws_cloudwatch_log_group.user_pool_waf",
    ]);
    expect(checkedBy("M2M-MON-002").length).toBeGreaterThanOrEqual(5);
    expect(checkedBy("M2M-COG-001")).toContain("aws_cognito_user_pool_client.client_shop");
    // The cut-off client has no app client, and its secret (a marker without credentials) passes.
    expect(checkedBy("M2M-COG-001")).not.toContain("aws_cognito_user_pool_client.client_retired");
    expect(checkedBy("M2M-SEC-002")).toContain("aws_secretsmanager_secret_version.client_retired");
    expect(checkedBy("M2M-TAG-001")).toEqual(expect.arrayContaining(["provider.aws", "aws_cognito_user_pool.user_pool", "aws_sns_topic.alarms"]));
    // Not taggable: methods and permissions are not counted as uncovered.
    expect(checkedBy("M2M-TAG-001")).not.toContain("aws_lambda_permission.scope_checker");
    expect(checkedBy("M2M-STA-001")).toEqual(["terraform.backend.s3"]);
    expect(checkedBy("M2M-USG-001")).toEqual(["client finance", "aws_api_gateway_rest_api.rest_api", "aws_api_gateway_rest_api_put.api"]);
  });
});
