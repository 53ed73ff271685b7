/** Issue 6's infrastructure: cheap defaults for development, strict ones for production, every option wired. */
import defaultConfig from "../fixtures/single-api.config";
import { ACCESS_LOG_FORMAT } from "../../constructs/api-access-logs";
import { apiDocumentOf, resourceOf, synthConfig, synthDefault } from "../support/synth";

const { dev, prod } = synthDefault();

test("every stage has X-Ray tracing and stage-wide throttling with metrics", () => {
  for (const [stack, rate, burst] of [[dev!, 10, 20], [prod!, 100, 200]] as const) {
    expect(resourceOf(stack, "aws_api_gateway_stage", "stage").xray_tracing_enabled).toBe(true);
    expect(resourceOf(stack, "aws_api_gateway_method_settings", "all")).toMatchObject({
      method_path: "*/*",
      stage_name: "${aws_api_gateway_stage.stage.stage_name}",
      settings: { metrics_enabled: true, throttling_rate_limit: rate, throttling_burst_limit: burst, data_trace_enabled: false },
    });
  }
});

test("development stays cheap: no access logs, WAF, alarms or account role", () => {
  const types = Object.keys(dev!.json.resource);
  for (const type of ["aws_wafv2_web_acl", "aws_sns_topic", "aws_cloudwatch_metric_alarm", "aws_api_gateway_account"]) expect(types).not.toContain(type);
  expect(resourceOf(dev!, "aws_api_gateway_stage", "stage").access_log_settings).toBeUndefined();
  expect(resourceOf(dev!, "aws_api_gateway_method_settings", "all").settings.logging_level).toBe("OFF");
});

test("production: JSON access logs after the account's logging role, with retention", () => {
  const stage = resourceOf(prod!, "aws_api_gateway_stage", "stage");
  expect(stage.access_log_settings).toEqual({ destination_arn: "${aws_cloudwatch_log_group.access_logs.arn}", format: ACCESS_LOG_FORMAT });
  expect(stage.depends_on).toEqual(["aws_api_gateway_account.account"]);
  const fields = JSON.parse(ACCESS_LOG_FORMAT);
  expect(Object.keys(fields)).toEqual(expect.arrayContaining(["requestId", "sourceIp", "cognitoClientId", "authorizerClientId", "resourcePath", "status", "responseLatencyMs"]));
  // One variable per field: API Gateway writes "-" for an unset one, which would garble a shared field.
  for (const value of Object.values(fields) as string[]) expect(value.match(/\$context\./g)).toHaveLength(1);
  expect(ACCESS_LOG_FORMAT).not.toMatch(/Authorization|header/i);
  expect(resourceOf(prod!, "aws_cloudwatch_log_group", "access_logs").retention_in_days).toBe(365);
  // Execution logs (ERROR level) go to a group Terraform manages, created before logging is on.
  expect(resourceOf(prod!, "aws_cloudwatch_log_group", "execution_logs")).toEqual({
    name: "API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.rest_api.id}/prod",
    retention_in_days: 365,
  });
  expect(resourceOf(prod!, "aws_api_gateway_method_settings", "all")).toMatchObject({
    settings: { logging_level: "ERROR" },
    depends_on: ["aws_cloudwatch_log_group.execution_logs", "aws_api_gateway_account.account"],
  });
  expect(resourceOf(prod!, "aws_api_gateway_account", "account").cloudwatch_role_arn).toBe("${aws_iam_role.api_gateway_cloudwatch.arn}");
  expect(resourceOf(prod!, "aws_iam_role_policy_attachment", "api_gateway_cloudwatch").policy_arn).toBe("arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs");
});

test("production: a WAF web ACL with known bad inputs and a per-IP rate rule on the stage", () => {
  expect(resourceOf(prod!, "aws_wafv2_web_acl", "api")).toMatchObject({
    scope: "REGIONAL",
    default_action: { allow: {} },
    rule: [
      { name: "aws-known-bad-inputs", override_action: { none: {} }, statement: { managed_rule_group_statement: { vendor_name: "AWS", name: "AWSManagedRulesKnownBadInputsRuleSet" } } },
      { name: "rate-limit-per-source-ip", action: { block: {} }, statement: { rate_based_statement: { limit: 1000, aggregate_key_type: "IP" } } },
    ],
  });
  expect(resourceOf(prod!, "aws_wafv2_web_acl_association", "api")).toEqual({ resource_arn: "${aws_api_gateway_stage.stage.arn}", web_acl_arn: "${aws_wafv2_web_acl.api.arn}" });
});

test("production: alarms to an SNS topic under its own key, which CloudWatch may use", () => {
  expect(resourceOf(prod!, "aws_sns_topic", "alarms").kms_master_key_id).toBe("${aws_kms_key.alarms.arn}");
  const key = resourceOf(prod!, "aws_kms_key", "alarms");
  expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
  expect(key.policy).toContain('"Principal" = {"Service" = "cloudwatch.amazonaws.com"}, "Action" = ["kms:Decrypt", "kms:GenerateDataKey*"]');
  expect(key.policy).toContain('"Condition" = {"StringEquals" = {"aws:SourceAccount" = data.aws_caller_identity.current.account_id}, "ArnLike" = {"aws:SourceArn" = ');
  expect(resourceOf(prod!, "aws_sns_topic_subscription", "alarms_platform-oncall_at_example_com")).toMatchObject({ protocol: "email", endpoint: "platform-oncall@example.com" });
  const alarms = prod!.json.resource.aws_cloudwatch_metric_alarm!;
  expect(Object.keys(alarms).sort()).toEqual(["api_4xx_spike", "api_5xx_rate", "cognito_token_throttles", "scope_checker_fail_closed", "scope_checker_throttles", "secret_rotation_errors"]);
  for (const alarm of Object.values(alarms)) expect((alarm as { alarm_actions: string[] }).alarm_actions).toEqual(["${aws_sns_topic.alarms.arn}"]);
  expect(resourceOf(prod!, "aws_cloudwatch_metric_alarm", "api_5xx_rate").dimensions).toEqual({ ApiName: "${aws_api_gateway_rest_api.rest_api.name}", Stage: "prod" });
  expect(resourceOf(prod!, "aws_cloudwatch_metric_alarm", "scope_checker_throttles").dimensions).toEqual({ FunctionName: "${aws_lambda_function.scope_checker.function_name}" });
});

test("the fail-closed alarm counts the checker's own refusals, not the Error('Unauthorized') every 401 throws", () => {
  expect(resourceOf(prod!, "aws_cloudwatch_log_metric_filter", "scope_checker_fail_closed")).toMatchObject({
    log_group_name: "${aws_cloudwatch_log_group.scope_checker.name}",
    pattern: '{ ($.message.reason = "jwks-unavailable") || ($.message.reason = "config-invalid") }',
    metric_transformation: { name: "ScopeCheckerFailClosed", namespace: "cognito-m2m/m2m-demo-api-prod", value: "1" },
  });
  expect(resourceOf(prod!, "aws_cloudwatch_metric_alarm", "scope_checker_fail_closed")).toMatchObject({ namespace: "cognito-m2m/m2m-demo-api-prod", metric_name: "ScopeCheckerFailClosed" });
  // That the filter matches the log event the runtime writes: fail-closed-filter.test.ts.
});

test("source-IP allow-list, per-route throttling and reserved concurrency when configured", () => {
  const config = structuredClone(defaultConfig) as any;
  config.environments[0].allowedSourceIps = ["203.0.113.0/24", "2001:db8::/32"];
  config.environments[0].scopeChecker = { reservedConcurrency: 5 };
  config.routes[1].throttling = { rateLimit: 2, burstLimit: 4 };
  config.routes.push({ method: "ANY", path: "/premium/{id}", scopes: ["read"], throttling: { rateLimit: 1, burstLimit: 1 } });
  const stack = synthConfig(config).dev!;
  // The policy is part of the API's document: put with everything else, before the deployment
  // that serves it (and removed by the next put when the allow-list goes).
  expect(apiDocumentOf(stack)["x-amazon-apigateway-policy"]).toEqual({
    Version: "2012-10-17",
    Statement: [
      { Sid: "AllowInvoke", Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*" },
      { Sid: "DenyOtherSources", Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: { NotIpAddress: { "aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"] } } },
    ],
  });
  expect(apiDocumentOf(synthConfig(defaultConfig).dev!)["x-amazon-apigateway-policy"]).toBeUndefined();
  expect(resourceOf(stack, "aws_api_gateway_method_settings", "get_premium")).toMatchObject({
    // Every "/" of the resource path as "~1": the key UpdateStage and GetStage use (terraform-provider-aws#9738).
    method_path: "~1premium/GET",
    settings: { throttling_rate_limit: 2, throttling_burst_limit: 4, metrics_enabled: true },
  });
  // An ANY route's own setting targets the ANY method; `*` would override its siblings too.
  expect(resourceOf(stack, "aws_api_gateway_method_settings", "any_premium_id").method_path).toBe("~1premium~1{id}/ANY");
  expect(resourceOf(stack, "aws_lambda_function", "scope_checker").reserved_concurrent_executions).toBe(5);
});
