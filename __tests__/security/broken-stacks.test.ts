/**
 * Every rule fails on a deliberately broken copy of real synth output, naming the broken
 * resource: no rule can pass vacuously. Each case breaks one thing in the all-options stack
 * (or a default-config stack) and expects exactly that rule to report exactly that address.
 */
import * as path from "node:path";
import defaultConfig from "../fixtures/single-api.config";
import type { M2MConfigInput } from "../../model/config-types";
import { loadConfigFile } from "../../model/load-config";
import { ALL_RULES } from "../../security/all-rules";
import type { StackUnderCheck } from "../../security/rule";
import type { TerraformJson } from "../../security/terraform-json";
import allOptionsConfig from "./fixtures/all-options.config";
import { copyOf, synthesizeForCheck } from "./stacks-under-check";

const live = synthesizeForCheck(allOptionsConfig).live;
const edge = synthesizeForCheck(loadConfigFile(path.join(__dirname, "..", "..", "examples", "partner-edge", "m2m.config.ts")) as M2MConfigInput).prod!;
/** Edits one API's document in the partner-edge stack. */
function editEdgeDocument(json: TerraformJson, api: string, edit: (document: Record<string, any>) => void): void {
  const put = resource(json, "aws_api_gateway_rest_api_put", `${api}_api`);
  const document = JSON.parse(put.body as string);
  edit(document);
  put.body = JSON.stringify(document);
}
const defaults = synthesizeForCheck(defaultConfig);

/** The mutable body of `type.name` in a copy (throws if the stack lacks it, so a case cannot silently break nothing). */
function resource(json: TerraformJson, type: string, name: string): Record<string, any> {
  const body = json.resource?.[type]?.[name];
  if (!body) throw new Error(`${type}.${name} is not in the stack`);
  return body as Record<string, any>;
}

/** Replaces text inside a policy string, failing if the text is absent. */
function editText(body: Record<string, any>, field: string, from: string, to: string): void {
  const text = body[field] as string;
  if (!text.includes(from)) throw new Error(`${field} does not contain ${from}`);
  body[field] = text.replace(from, to);
}

/** Edits the API's OpenAPI document (the put's body) in a copy. */
function editDocument(json: TerraformJson, edit: (document: Record<string, any>) => void): void {
  const put = resource(json, "aws_api_gateway_rest_api_put", "api");
  const document = JSON.parse(put.body as string);
  edit(document);
  put.body = JSON.stringify(document);
}

/** One operation of the document: `operation(d, "/orders", "get")`. */
function operation(document: Record<string, any>, path: string, method: string): Record<string, any> {
  const found = document.paths?.[path]?.[method];
  if (!found) throw new Error(`${method} ${path} is not in the document`);
  return found;
}

const PUT = "aws_api_gateway_rest_api_put.api";

interface BrokenCase {
  readonly rule: string;
  readonly what: string;
  readonly address: string;
  /** Problem text expected in the failure. */
  readonly problem: RegExp;
  readonly base?: StackUnderCheck;
  /** The break also fails other addresses (resources depending on a broken provider). */
  readonly cascades?: boolean;
  readonly breakIt: (json: TerraformJson, stack: StackUnderCheck) => void;
}

const cases: BrokenCase[] = [
  // API Gateway methods (the OpenAPI document), and methods made as Terraform resources
  {
    rule: "M2M-API-001", what: "a method with no security requirement", address: PUT, problem: /GET \/orders has no security requirement/,
    breakIt: (j) => editDocument(j, (d) => { delete operation(d, "/orders", "get").security; }),
  },
  {
    rule: "M2M-API-001", what: "a method with an empty security list", address: PUT, problem: /POST \/refunds has no security requirement/,
    breakIt: (j) => editDocument(j, (d) => { operation(d, "/refunds", "post").security = []; }),
  },
  {
    rule: "M2M-API-001", what: "a method naming an authorizer the document lacks", address: PUT, problem: /GET \/orders\/\{id\} .*"nobody", which is not an authorizer/,
    breakIt: (j) => editDocument(j, (d) => { operation(d, "/orders/{id}", "get").security = [{ nobody: [] }]; }),
  },
  {
    rule: "M2M-API-001", what: "an API-key scheme standing in for an authorizer", address: PUT, problem: /POST \/orders uses api-key.*not cognito_user_pools or custom/,
    breakIt: (j) => editDocument(j, (d) => {
      d.components.securitySchemes["api-key"] = { type: "apiKey", name: "x-api-key", in: "header" };
      operation(d, "/orders", "post").security = [{ "api-key": [] }];
    }),
  },
  {
    rule: "M2M-API-001", what: "a body that is an expression, not a document", address: PUT, problem: /not a literal JSON OpenAPI document/,
    breakIt: (j) => { resource(j, "aws_api_gateway_rest_api_put", "api").body = "${file(\"api.json\")}"; },
  },
  {
    rule: "M2M-API-001", what: "a method resource with authorization NONE", address: "aws_api_gateway_method.extra", problem: /authorization is "NONE"/,
    breakIt: (j) => { j.resource!.aws_api_gateway_method = { extra: { rest_api_id: "${aws_api_gateway_rest_api.rest_api.id}", resource_id: "x", http_method: "GET", authorization: "NONE" } }; },
  },
  {
    rule: "M2M-API-001", what: "NONE with an API key", address: "aws_api_gateway_method.extra", problem: /API key is not an authorization/,
    breakIt: (j) => { j.resource!.aws_api_gateway_method = { extra: { rest_api_id: "x", resource_id: "x", http_method: "GET", authorization: "NONE", api_key_required: true } }; },
  },
  {
    rule: "M2M-API-002", what: "a Cognito method without scopes", address: PUT, problem: /GET \/orders uses cognito-user-pool with no authorization scopes/,
    breakIt: (j) => editDocument(j, (d) => { operation(d, "/orders", "get").security = [{ "cognito-user-pool": [] }]; }),
  },
  {
    rule: "M2M-API-002", what: "a Cognito method resource without scopes", address: "aws_api_gateway_method.extra", problem: /no authorization_scopes/,
    breakIt: (j) => { j.resource!.aws_api_gateway_method = { extra: { rest_api_id: "x", resource_id: "x", http_method: "GET", authorization: "COGNITO_USER_POOLS", authorizer_id: "x" } }; },
  },
  {
    rule: "M2M-API-003", what: "a stage without X-Ray", address: "aws_api_gateway_stage.stage", problem: /xray_tracing_enabled/,
    breakIt: (j) => { delete resource(j, "aws_api_gateway_stage", "stage").xray_tracing_enabled; },
  },
  {
    rule: "M2M-API-004", what: "no catch-all method settings", address: "aws_api_gateway_stage.stage", problem: /method_path "\*\/\*"/,
    breakIt: (j) => { delete j.resource!.aws_api_gateway_method_settings.all; },
  },
  {
    rule: "M2M-API-004", what: "catch-all settings without throttling", address: "aws_api_gateway_method_settings.all", problem: /throttling_rate_limit/,
    breakIt: (j) => { delete resource(j, "aws_api_gateway_method_settings", "all").settings.throttling_rate_limit; },
  },
  {
    rule: "M2M-API-004", what: "catch-all settings without metrics", address: "aws_api_gateway_method_settings.all", problem: /metrics_enabled/,
    breakIt: (j) => { resource(j, "aws_api_gateway_method_settings", "all").settings.metrics_enabled = false; },
  },
  {
    rule: "M2M-API-004", what: "a route override with burst below rate", address: "aws_api_gateway_method_settings.get_orders_id", problem: /throttling_burst_limit is 1/,
    breakIt: (j) => { resource(j, "aws_api_gateway_method_settings", "get_orders_id").settings.throttling_burst_limit = 1; },
  },
  {
    rule: "M2M-API-004", what: "catch-all settings for another stage", address: "aws_api_gateway_stage.stage", problem: /method_path "\*\/\*"/,
    breakIt: (j) => { resource(j, "aws_api_gateway_method_settings", "all").stage_name = "other"; },
  },
  {
    rule: "M2M-API-005", what: "both client ids squeezed into one field", address: "aws_api_gateway_stage.stage", problem: /lacks the client id from the Cognito authorizer, client id from the scope checker/,
    breakIt: (j) => {
      const settings = resource(j, "aws_api_gateway_stage", "stage").access_log_settings;
      const fields = JSON.parse(settings.format);
      delete fields.authorizerClientId;
      fields.cognitoClientId = "$context.authorizer.claims.client_id$context.authorizer.clientId";
      settings.format = JSON.stringify(fields);
    },
  },
  {
    rule: "M2M-API-005", what: "a stage without access logs where they are on", address: "aws_api_gateway_stage.stage", problem: /no access_log_settings/,
    breakIt: (j) => { delete resource(j, "aws_api_gateway_stage", "stage").access_log_settings; },
  },
  {
    rule: "M2M-API-005", what: "an access log format without source IP", address: "aws_api_gateway_stage.stage", problem: /lacks the source IP/,
    breakIt: (j) => { const s = resource(j, "aws_api_gateway_stage", "stage").access_log_settings; s.format = s.format.replace("$context.identity.sourceIp", ""); },
  },
  {
    rule: "M2M-API-005", what: "access logs to a log group outside the stack", address: "aws_api_gateway_stage.stage", problem: /not the arn of a log group/,
    breakIt: (j) => { resource(j, "aws_api_gateway_stage", "stage").access_log_settings.destination_arn = "arn:aws:logs:eu-central-1:111122223333:log-group:elsewhere"; },
  },
  {
    rule: "M2M-API-005", what: "the dev stack told its environment enables access logs", address: "aws_api_gateway_stage.stage", problem: /environment dev enables access logs/,
    base: defaults.dev, breakIt: (_j, s) => { (s.metadata as { accessLogsEnabled: boolean }).accessLogsEnabled = true; },
  },
  {
    rule: "M2M-API-006", what: "a WAF association on the REST API instead of the stage", address: "aws_wafv2_web_acl_association.api", problem: /not the arn of a stage/,
    breakIt: (j) => { resource(j, "aws_wafv2_web_acl_association", "api").resource_arn = "${aws_api_gateway_rest_api.rest_api.arn}"; },
  },
  {
    rule: "M2M-API-006", what: "a rate rule that only counts", address: "aws_wafv2_web_acl.api", problem: /rate_based_statement and a block action/,
    breakIt: (j) => { const acl = resource(j, "aws_wafv2_web_acl", "api"); acl.rule.find((r: any) => r.statement.rate_based_statement).action = { count: {} }; },
  },
  {
    rule: "M2M-API-006", what: "a web ACL nobody associates", address: "aws_wafv2_web_acl.api", problem: /not associated/,
    breakIt: (j) => { delete j.resource!.aws_wafv2_web_acl_association!.api; },
  },
  {
    rule: "M2M-API-007", what: "a resource policy without its Deny", address: PUT, problem: /x-amazon-apigateway-policy has no Deny of execute-api:Invoke/,
    breakIt: (j) => editDocument(j, (d) => { d["x-amazon-apigateway-policy"].Statement[1].Effect = "Allow"; }),
  },
  {
    rule: "M2M-API-007", what: "a resource policy allowing every action", address: PUT, problem: /more than execute-api:Invoke/,
    breakIt: (j) => editDocument(j, (d) => { d["x-amazon-apigateway-policy"].Statement[0].Action = "*"; }),
  },
  {
    rule: "M2M-API-007", what: "a policy resource beside the document without its Deny", address: "aws_api_gateway_rest_api_policy.extra", problem: /no Deny of execute-api:Invoke/,
    breakIt: (j) => { j.resource!.aws_api_gateway_rest_api_policy = { extra: { rest_api_id: "${aws_api_gateway_rest_api.rest_api.id}", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "*" }] }) } }; },
  },
  {
    rule: "M2M-API-008", what: "data trace on", address: "aws_api_gateway_method_settings.post_orders", problem: /data_trace_enabled is true/,
    breakIt: (j) => { resource(j, "aws_api_gateway_method_settings", "post_orders").settings.data_trace_enabled = true; },
  },
  // Cognito
  {
    rule: "M2M-COG-001", what: "a client with the code grant too", address: "aws_cognito_user_pool_client.client_shop", problem: /not \["client_credentials"\]/,
    breakIt: (j) => { resource(j, "aws_cognito_user_pool_client", "client_shop").allowed_oauth_flows = ["client_credentials", "code"]; },
  },
  {
    rule: "M2M-COG-001", what: "a client with OAuth off but flows set", address: "aws_cognito_user_pool_client.client_auditor", problem: /allowed_oauth_flows_user_pool_client is not true/,
    breakIt: (j) => { resource(j, "aws_cognito_user_pool_client", "client_auditor").allowed_oauth_flows_user_pool_client = false; },
  },
  {
    rule: "M2M-COG-001", what: "a client with OAuth switched off instead of removed", address: "aws_cognito_user_pool_client.client_auditor", problem: /allowed_oauth_flows is \[\]/,
    breakIt: (j) => {
      Object.assign(resource(j, "aws_cognito_user_pool_client", "client_auditor"), { allowed_oauth_flows: [], allowed_oauth_flows_user_pool_client: false, allowed_oauth_scopes: [] });
    },
  },
  {
    rule: "M2M-COG-001", what: "a client allowing password sign-in", address: "aws_cognito_user_pool_client.client_finance", problem: /ALLOW_USER_PASSWORD_AUTH/,
    breakIt: (j) => { resource(j, "aws_cognito_user_pool_client", "client_finance").explicit_auth_flows = ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH"]; },
  },
  {
    rule: "M2M-COG-002", what: "a client without a secret", address: "aws_cognito_user_pool_client.client_auditor", problem: /generate_secret/,
    breakIt: (j) => { resource(j, "aws_cognito_user_pool_client", "client_auditor").generate_secret = false; },
  },
  {
    rule: "M2M-COG-002", what: "a client without token revocation", address: "aws_cognito_user_pool_client.client_shop", problem: /enable_token_revocation/,
    breakIt: (j) => { delete resource(j, "aws_cognito_user_pool_client", "client_shop").enable_token_revocation; },
  },
  {
    rule: "M2M-COG-002", what: "a client revealing user existence", address: "aws_cognito_user_pool_client.client_finance", problem: /"LEGACY"/,
    breakIt: (j) => { resource(j, "aws_cognito_user_pool_client", "client_finance").prevent_user_existence_errors = "LEGACY"; },
  },
  {
    rule: "M2M-COG-003", what: "tokens valid 2 days", address: "aws_cognito_user_pool_client.client_auditor", problem: /2 days, outside/,
    breakIt: (j) => { resource(j, "aws_cognito_user_pool_client", "client_auditor").access_token_validity = 2; },
  },
  {
    rule: "M2M-COG-003", what: "tokens valid 299 seconds", address: "aws_cognito_user_pool_client.client_finance", problem: /299 seconds, outside/,
    breakIt: (j) => { resource(j, "aws_cognito_user_pool_client", "client_finance").access_token_validity = 299; },
  },
  {
    rule: "M2M-COG-003", what: "validity without units (read as hours)", address: "aws_cognito_user_pool_client.client_shop", problem: /token_validity_units.access_token is not set/,
    breakIt: (j) => { delete resource(j, "aws_cognito_user_pool_client", "client_shop").token_validity_units; },
  },
  {
    rule: "M2M-COG-004", what: "a pool anyone can sign up to", address: "aws_cognito_user_pool.user_pool", problem: /allow_admin_create_user_only/,
    breakIt: (j) => { resource(j, "aws_cognito_user_pool", "user_pool").admin_create_user_config = { allow_admin_create_user_only: false }; },
  },
  {
    rule: "M2M-COG-004", what: "email account recovery", address: "aws_cognito_user_pool.user_pool", problem: /verified_email/,
    breakIt: (j) => { resource(j, "aws_cognito_user_pool", "user_pool").account_recovery_setting = { recovery_mechanism: [{ name: "verified_email", priority: 1 }] }; },
  },
  {
    rule: "M2M-API-009", what: "the account's logging setting without prevent_destroy", address: "aws_api_gateway_account.account", problem: /account-wide logging setting has no lifecycle.prevent_destroy/,
    breakIt: (j) => { delete resource(j, "aws_api_gateway_account", "account").lifecycle; },
  },
  {
    rule: "M2M-API-009", what: "the account's logging role without prevent_destroy", address: "aws_iam_role.api_gateway_cloudwatch", problem: /role aws_api_gateway_account.account logs with/,
    breakIt: (j) => { delete resource(j, "aws_iam_role", "api_gateway_cloudwatch").lifecycle; },
  },
  {
    rule: "M2M-API-009", what: "the logging role's policy attachment without prevent_destroy", address: "aws_iam_role_policy_attachment.api_gateway_cloudwatch", problem: /policy attachment of aws_iam_role.api_gateway_cloudwatch/,
    breakIt: (j) => { resource(j, "aws_iam_role_policy_attachment", "api_gateway_cloudwatch").lifecycle = { create_before_destroy: true }; },
  },
  {
    rule: "M2M-SEC-003", what: "a production secret deleted at once", address: "aws_secretsmanager_secret.client_auditor", problem: /recovery_window_in_days is 0 in production/,
    breakIt: (j) => { resource(j, "aws_secretsmanager_secret", "client_auditor").recovery_window_in_days = 0; },
  },
  {
    rule: "M2M-COG-005", what: "a production pool without deletion protection", address: "aws_cognito_user_pool.user_pool", problem: /deletion_protection is "INACTIVE" in production/,
    breakIt: (j) => { resource(j, "aws_cognito_user_pool", "user_pool").deletion_protection = "INACTIVE"; },
  },
  {
    rule: "M2M-COG-005", what: "a production pool without prevent_destroy", address: "aws_cognito_user_pool.user_pool", problem: /prevent_destroy/,
    breakIt: (j) => { delete resource(j, "aws_cognito_user_pool", "user_pool").lifecycle; },
  },
  {
    rule: "M2M-COG-005", what: "the dev stack (no protection) checked as production", address: "aws_cognito_user_pool.user_pool", problem: /production environment dev/,
    base: defaults.dev, breakIt: (_j, s) => { (s.metadata as { production: boolean }).production = true; },
  },
  // Logs
  {
    rule: "M2M-LOG-001", what: "a log group without retention", address: "aws_cloudwatch_log_group.access_logs", problem: /no retention_in_days/,
    breakIt: (j) => { delete resource(j, "aws_cloudwatch_log_group", "access_logs").retention_in_days; },
  },
  {
    rule: "M2M-LOG-001", what: "retention that is not a CloudWatch value", address: "aws_cloudwatch_log_group.scope_checker", problem: /not a CloudWatch retention value/,
    breakIt: (j) => { resource(j, "aws_cloudwatch_log_group", "scope_checker").retention_in_days = 0; },
  },
  {
    rule: "M2M-LOG-002", what: "a function whose log group is not managed", address: "aws_lambda_function.scope_checker", problem: /no log group in the stack/,
    breakIt: (j) => { delete j.resource!.aws_cloudwatch_log_group.scope_checker; },
  },
  // IAM
  {
    rule: "M2M-IAM-001", what: "a wildcard action on the log group", address: "aws_iam_role_policy.scope_checker_logs", problem: /wildcard action "logs:\*"/,
    breakIt: (j) => editText(resource(j, "aws_iam_role_policy", "scope_checker_logs"), "policy", '"logs:PutLogEvents"', '"logs:*"'),
  },
  {
    rule: "M2M-IAM-001", what: "a resource beyond the log group", address: "aws_iam_role_policy.scope_checker_logs", problem: /beyond the function's own log group/,
    breakIt: (j) => editText(resource(j, "aws_iam_role_policy", "scope_checker_logs"), "policy", "${aws_cloudwatch_log_group.scope_checker.arn}:*", "*"),
  },
  {
    rule: "M2M-IAM-001", what: "another log group (the access logs)", address: "aws_iam_role_policy.scope_checker_logs", problem: /access_logs/,
    breakIt: (j) => editText(resource(j, "aws_iam_role_policy", "scope_checker_logs"), "policy", "aws_cloudwatch_log_group.scope_checker.arn", "aws_cloudwatch_log_group.access_logs.arn"),
  },
  {
    rule: "M2M-IAM-001", what: "the X-Ray exception stretched to another action", address: "aws_iam_role_policy.scope_checker_logs", problem: /XRayWriteNoResourceLevelPermissions allows .*secretsmanager:GetSecretValue/,
    breakIt: (j) => editText(resource(j, "aws_iam_role_policy", "scope_checker_logs"), "policy", '"xray:PutTelemetryRecords"', '"xray:PutTelemetryRecords", "secretsmanager:GetSecretValue"'),
  },
  {
    rule: "M2M-IAM-001", what: "a managed policy on the function's role", address: "aws_iam_role_policy_attachment.scope_checker_basic", problem: /AWSLambdaBasicExecutionRole/,
    breakIt: (j) => {
      j.resource!.aws_iam_role_policy_attachment.scope_checker_basic = {
        role: "${aws_iam_role.scope_checker.name}",
        policy_arn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
      };
    },
  },
  {
    rule: "M2M-IAM-002", what: "a trust policy for any AWS principal", address: "aws_iam_role.scope_checker", problem: /trusts AWS \["\*"\]/,
    breakIt: (j) => editText(resource(j, "aws_iam_role", "scope_checker"), "assume_role_policy", '{"Service":"lambda.amazonaws.com"}', '{"AWS":"*"}'),
  },
  {
    rule: "M2M-IAM-002", what: "the API Gateway role trusted by Lambda", address: "aws_iam_role.api_gateway_cloudwatch", problem: /only apigateway.amazonaws.com/,
    breakIt: (j) => editText(resource(j, "aws_iam_role", "api_gateway_cloudwatch"), "assume_role_policy", "apigateway.amazonaws.com", "lambda.amazonaws.com"),
  },
  {
    rule: "M2M-IAM-003", what: "AdministratorAccess on the API Gateway role", address: "aws_iam_role_policy_attachment.api_gateway_cloudwatch", problem: /AdministratorAccess/,
    breakIt: (j) => { resource(j, "aws_iam_role_policy_attachment", "api_gateway_cloudwatch").policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"; },
  },
  // Lambda
  {
    rule: "M2M-LAM-001", what: "a permission for every route of the API", address: "aws_lambda_permission.scope_checker", problem: /not scoped to the API's authorizers/,
    breakIt: (j) => { resource(j, "aws_lambda_permission", "scope_checker").source_arn = "${aws_api_gateway_rest_api.rest_api.execution_arn}/*/*"; },
  },
  {
    rule: "M2M-LAM-001", what: "every authorizer of an API whose document does not invoke the function", address: "aws_lambda_permission.scope_checker", problem: /declares no authorizer that invokes aws_lambda_function.scope_checker/,
    breakIt: (j) => editDocument(j, (d) => { d.components.securitySchemes["scope-checker"]["x-amazon-apigateway-authorizer"].authorizerUri = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111122223333:function:other/invocations"; }),
  },
  {
    rule: "M2M-LAM-001", what: "a permission with no source_arn", address: "aws_lambda_permission.scope_checker", problem: /no source_arn/,
    breakIt: (j) => { delete resource(j, "aws_lambda_permission", "scope_checker").source_arn; },
  },
  {
    rule: "M2M-LAM-002", what: "a function without active tracing", address: "aws_lambda_function.scope_checker", problem: /tracing_config.mode/,
    breakIt: (j) => { delete resource(j, "aws_lambda_function", "scope_checker").tracing_config; },
  },
  // Backends (issue 10): the all-options stack has a handler with declared permissions, an existing function and an HTTPS service
  {
    rule: "M2M-LAM-001", what: "a backend permission for every method of the API", address: "aws_lambda_permission.backend_get_orders_id_lines", problem: /allows \*\/\*, which is not the method of a route this function serves/,
    breakIt: (j) => { resource(j, "aws_lambda_permission", "backend_get_orders_id_lines").source_arn = "${aws_api_gateway_rest_api.rest_api.execution_arn}/*/*/*"; },
  },
  {
    rule: "M2M-LAM-001", what: "an existing function's permission for another method", address: "aws_lambda_permission.backend_get_rates", problem: /allows DELETE\/rates/,
    breakIt: (j) => { resource(j, "aws_lambda_permission", "backend_get_rates").source_arn = "${aws_api_gateway_rest_api.rest_api.execution_arn}/*/DELETE/rates"; },
  },
  {
    rule: "M2M-LAM-001", what: "an existing function's permission for any API", address: "aws_lambda_permission.backend_get_rates", problem: /no source_arn/,
    breakIt: (j) => { delete resource(j, "aws_lambda_permission", "backend_get_rates").source_arn; },
  },
  {
    rule: "M2M-IAM-001", what: "a declared permission on every resource", address: "aws_iam_role_policy.backend_tests_fixtures_backends_echo_permissions", problem: /on "\*", not a named ARN/,
    breakIt: (j) => editText(resource(j, "aws_iam_role_policy", "backend_tests_fixtures_backends_echo_permissions"), "policy", '"arn:aws:dynamodb:eu-central-1:123456789012:table/orders"', '"*"'),
  },
  {
    rule: "M2M-IAM-001", what: "a declared wildcard action", address: "aws_iam_role_policy.backend_tests_fixtures_backends_echo_permissions", problem: /wildcard action "dynamodb:\*"/,
    breakIt: (j) => editText(resource(j, "aws_iam_role_policy", "backend_tests_fixtures_backends_echo_permissions"), "policy", '"dynamodb:Query"', '"dynamodb:*"'),
  },
  {
    rule: "M2M-IAM-001", what: "a backend's log policy on the scope checker's log group", address: "aws_iam_role_policy.backend_tests_fixtures_backends_echo_logs", problem: /beyond the function's own log group/,
    breakIt: (j) => editText(resource(j, "aws_iam_role_policy", "backend_tests_fixtures_backends_echo_logs"), "policy", "aws_cloudwatch_log_group.backend_tests_fixtures_backends_echo.arn", "aws_cloudwatch_log_group.scope_checker.arn"),
  },
  {
    rule: "M2M-LOG-001", what: "a backend log group without retention", address: "aws_cloudwatch_log_group.backend_tests_fixtures_backends_echo", problem: /no retention_in_days/,
    breakIt: (j) => { delete resource(j, "aws_cloudwatch_log_group", "backend_tests_fixtures_backends_echo").retention_in_days; },
  },
  {
    rule: "M2M-LOG-002", what: "a backend function whose log group is not managed", address: "aws_lambda_function.backend_tests_fixtures_backends_echo", problem: /no log group in the stack/,
    breakIt: (j) => { delete j.resource!.aws_cloudwatch_log_group.backend_tests_fixtures_backends_echo; },
  },
  {
    rule: "M2M-LAM-002", what: "a backend function without active tracing", address: "aws_lambda_function.backend_tests_fixtures_backends_echo", problem: /tracing_config.mode/,
    breakIt: (j) => { resource(j, "aws_lambda_function", "backend_tests_fixtures_backends_echo").tracing_config = { mode: "PassThrough" }; },
  },
  {
    rule: "M2M-LAM-003", what: "a secret-like environment variable on a backend", address: "aws_lambda_function.backend_tests_fixtures_backends_echo", problem: /variable UPSTREAM_API_KEY is named like a secret/,
    breakIt: (j) => { resource(j, "aws_lambda_function", "backend_tests_fixtures_backends_echo").environment.variables.UPSTREAM_API_KEY = "k-123"; },
  },
  {
    rule: "M2M-LAM-003", what: "an AWS access key as an environment value", address: "aws_lambda_function.scope_checker", problem: /variable LEGACY holds a credential-shaped value/,
    breakIt: (j) => { resource(j, "aws_lambda_function", "scope_checker").environment.variables.LEGACY = "AKIAIOSFODNN7EXAMPLE"; },
  },
  {
    rule: "M2M-API-010", what: "a plaintext http upstream", address: "aws_api_gateway_rest_api_put.api", problem: /GET \/shipments\/\{id\} calls "http:\/\/shipping.example.com\/v2\/shipments\/\{id\}", not an https URL/,
    breakIt: (j) => editText(resource(j, "aws_api_gateway_rest_api_put", "api"), "body", '"uri":"https://shipping.example.com', '"uri":"http://shipping.example.com'),
  },
  {
    rule: "M2M-API-010", what: "an HTTP backend whose client id header the caller could set", address: "aws_api_gateway_rest_api_put.api", problem: /maps X-M2M-Client-Id from null, not the authorizer's context.authorizer.claims.client_id/,
    breakIt: (j) => editText(resource(j, "aws_api_gateway_rest_api_put", "api"), "body", '"integration.request.header.X-M2M-Client-Id":"context.authorizer.claims.client_id",', ""),
  },
  {
    rule: "M2M-API-010", what: "identity mapped from the scope checker's context on a Cognito route", address: "aws_api_gateway_rest_api_put.api", problem: /maps X-M2M-Scopes from "context.authorizer.scope"/,
    breakIt: (j) => editText(resource(j, "aws_api_gateway_rest_api_put", "api"), "body", '"integration.request.header.X-M2M-Scopes":"context.authorizer.claims.scope"', '"integration.request.header.X-M2M-Scopes":"context.authorizer.scope"'),
  },
  {
    rule: "M2M-API-010", what: "an integration timeout beyond 29 s", address: "aws_api_gateway_rest_api_put.api", problem: /timeoutInMillis 60000 exceeds/,
    breakIt: (j) => editText(resource(j, "aws_api_gateway_rest_api_put", "api"), "body", '"timeoutInMillis":10000', '"timeoutInMillis":60000'),
  },
  // Secrets
  {
    rule: "M2M-SEC-001", what: "client secrets in a non-sensitive output", address: "output.client_secrets", problem: /client_secret but is not sensitive/,
    breakIt: (j) => { j.output!.client_secrets.sensitive = false; },
  },
  {
    rule: "M2M-SEC-001", what: "a secret value in a new plain output", address: "output.shop_credentials", problem: /secret_string but is not sensitive/,
    breakIt: (j) => { j.output!.shop_credentials = { value: "${aws_secretsmanager_secret_version.client_shop.secret_string}" }; },
  },
  {
    rule: "M2M-SEC-002", what: "a cut-off client's secret that still carries credentials", address: "aws_secretsmanager_secret_version.client_retired", problem: /literal/,
    breakIt: (j) => { resource(j, "aws_secretsmanager_secret_version", "client_retired").secret_string = JSON.stringify({ disabled: true, clientId: "abc", clientSecret: "s3cr3t" }); },
  },
  {
    rule: "M2M-SEC-002", what: "a client secret in a Lambda environment variable", address: "aws_lambda_function.scope_checker", problem: /client_shop.client_secret/,
    breakIt: (j) => { resource(j, "aws_lambda_function", "scope_checker").environment.variables.SHOP_SECRET = "${aws_cognito_user_pool_client.client_shop.client_secret}"; },
  },
  {
    rule: "M2M-SEC-002", what: "a literal secret", address: "aws_secretsmanager_secret_version.client_finance", problem: /literal/,
    breakIt: (j) => { resource(j, "aws_secretsmanager_secret_version", "client_finance").secret_string = '{"clientSecret":"pasted-by-hand"}'; },
  },
  {
    rule: "M2M-STA-001", what: "unencrypted S3 state", address: "terraform.backend.s3", problem: /encrypt is not true/,
    breakIt: (j) => { (j.terraform!.backend as any).s3.encrypt = false; },
  },
  // Monitoring
  {
    rule: "M2M-MON-001", what: "a topic under the AWS-managed SNS key", address: "aws_sns_topic.alarms", problem: /AWS-managed key alias\/aws\/sns/,
    breakIt: (j) => { resource(j, "aws_sns_topic", "alarms").kms_master_key_id = "alias/aws/sns"; },
  },
  {
    rule: "M2M-MON-001", what: "an unencrypted topic", address: "aws_sns_topic.alarms", problem: /kms_master_key_id/,
    breakIt: (j) => { delete resource(j, "aws_sns_topic", "alarms").kms_master_key_id; },
  },
  {
    rule: "M2M-MON-002", what: "an alarm with no action", address: "aws_cloudwatch_metric_alarm.api_5xx_rate", problem: /no alarm_actions/,
    breakIt: (j) => { resource(j, "aws_cloudwatch_metric_alarm", "api_5xx_rate").alarm_actions = []; },
  },
  // Issue 12: secret rotation, the client-secrets key, partner access, WAF on the token endpoint and WAF logs
  {
    rule: "M2M-IAM-001", what: "the rotation role's Cognito grant on every pool", address: "aws_iam_role_policy.secret_rotation_access", problem: /not the arn of a aws_cognito_user_pool of this stack/,
    breakIt: (j) => editText(resource(j, "aws_iam_role_policy", "secret_rotation_access"), "policy", '"Resource" = aws_cognito_user_pool.user_pool.arn', '"Resource" = "*"'),
  },
  {
    rule: "M2M-IAM-001", what: "the rotation role's key grant without kms:ViaService", address: "aws_iam_role_policy.secret_rotation_access", problem: /without a kms:ViaService condition/,
    breakIt: (j) => editText(resource(j, "aws_iam_role_policy", "secret_rotation_access"), "policy", '"kms:ViaService"', '"kms:CallerAccount"'),
  },
  {
    rule: "M2M-IAM-001", what: "rotation grants on a function Secrets Manager does not invoke", address: "aws_iam_role_policy.secret_rotation_access", problem: /beyond the function's own log group/,
    breakIt: (j) => { for (const name of Object.keys(j.resource!.aws_lambda_permission!)) if (name.startsWith("secret_rotation_")) delete j.resource!.aws_lambda_permission![name]; },
  },
  {
    rule: "M2M-LAM-001", what: "a rotation permission for any secret", address: "aws_lambda_permission.secret_rotation_shop", problem: /not the arn of one secret of this stack/,
    breakIt: (j) => { resource(j, "aws_lambda_permission", "secret_rotation_shop").source_arn = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:*"; },
  },
  {
    rule: "M2M-LAM-001", what: "a rotation permission without source_account", address: "aws_lambda_permission.secret_rotation_shop", problem: /no source_account/,
    breakIt: (j) => { delete resource(j, "aws_lambda_permission", "secret_rotation_shop").source_account; },
  },
  {
    rule: "M2M-API-006", what: "a WAF association on the user pool's id", address: "aws_wafv2_web_acl_association.user_pool", problem: /not the arn of a stage or user pool/,
    breakIt: (j) => { resource(j, "aws_wafv2_web_acl_association", "user_pool").resource_arn = "${aws_cognito_user_pool.user_pool.id}"; },
  },
  {
    rule: "M2M-KMS-001", what: "a client secret on the AWS-managed key", address: "aws_secretsmanager_secret.client_shop", problem: /not a customer-managed key of this stack/,
    breakIt: (j) => { delete resource(j, "aws_secretsmanager_secret", "client_shop").kms_key_id; },
  },
  {
    rule: "M2M-KMS-001", what: "the key admitting every principal", address: "aws_kms_key.client_secrets", problem: /RotationFunctionThroughSecretsManager admits every principal/,
    breakIt: (j) => editText(resource(j, "aws_kms_key", "client_secrets"), "policy", '"Principal" = {"AWS" = aws_iam_role.secret_rotation.arn}', '"Principal" = "*"'),
  },
  {
    rule: "M2M-KMS-001", what: "a partner allowed to re-encrypt", address: "aws_kms_key.client_secrets", problem: /ConsumersauditorReadOwnSecret lets .* beyond kms:Decrypt/,
    breakIt: (j) => editText(resource(j, "aws_kms_key", "client_secrets"), "policy", '"Action" = "kms:Decrypt"', '"Action" = ["kms:Decrypt", "kms:ReEncryptFrom"]'),
  },
  {
    rule: "M2M-KMS-001", what: "key use not limited to Secrets Manager", address: "aws_kms_key.client_secrets", problem: /no kms:ViaService condition/,
    breakIt: (j) => editText(resource(j, "aws_kms_key", "client_secrets"), "policy", '"kms:ViaService"', '"aws:SourceVpc"'),
  },
  {
    rule: "M2M-KMS-001", what: "key use for any secret", address: "aws_kms_key.client_secrets", problem: /no kms:EncryptionContext:SecretARN condition/,
    breakIt: (j) => editText(resource(j, "aws_kms_key", "client_secrets"), "policy", '"kms:EncryptionContext:SecretARN"', '"kms:EncryptionContext:Other"'),
  },
  {
    rule: "M2M-KMS-001", what: "a key that never rotates", address: "aws_kms_key.client_secrets", problem: /does not rotate/,
    breakIt: (j) => { resource(j, "aws_kms_key", "client_secrets").enable_key_rotation = false; },
  },
  {
    rule: "M2M-KMS-002", what: "a secret policy for everyone", address: "aws_secretsmanager_secret_policy.client_auditor", problem: /not a named IAM role or user/,
    breakIt: (j) => editText(resource(j, "aws_secretsmanager_secret_policy", "client_auditor"), "policy", '{"AWS":["arn:aws:iam::123456789012:role/partner-auditor"]}', '"*"'),
  },
  {
    rule: "M2M-KMS-002", what: "a partner allowed to write the secret", address: "aws_secretsmanager_secret_policy.client_auditor", problem: /PutSecretValue.*beyond reading/,
    breakIt: (j) => editText(resource(j, "aws_secretsmanager_secret_policy", "client_auditor"), "policy", '"secretsmanager:DescribeSecret"', '"secretsmanager:PutSecretValue"'),
  },
  {
    rule: "M2M-KMS-002", what: "public policies not blocked", address: "aws_secretsmanager_secret_policy.client_auditor", problem: /block_public_policy/,
    breakIt: (j) => { resource(j, "aws_secretsmanager_secret_policy", "client_auditor").block_public_policy = false; },
  },
  {
    rule: "M2M-ROT-001", what: "Terraform owning a rotating secret's value", address: "aws_secretsmanager_secret_version.client_auditor_initial", problem: /does not ignore changes to secret_string/,
    breakIt: (j) => { delete resource(j, "aws_secretsmanager_secret_version", "client_auditor_initial").lifecycle; },
  },
  {
    rule: "M2M-ROT-001", what: "a frozen value without rotation", address: "aws_secretsmanager_secret_version.client_finance", problem: /its secret does not rotate/,
    breakIt: (j) => { resource(j, "aws_secretsmanager_secret_version", "client_finance").lifecycle = { ignore_changes: ["secret_string"] }; },
  },
  {
    rule: "M2M-ROT-001", what: "an output of a rotating client's secret", address: "output.client_secrets", problem: /client_auditor.client_secret, whose secret rotates/,
    breakIt: (j) => { (j.output as any).client_secrets.value = { auditor: "${aws_cognito_user_pool_client.client_auditor.client_secret}" }; },
  },
  {
    rule: "M2M-ROT-001", what: "a rotation by a function of another stack", address: "aws_secretsmanager_secret_rotation.client_shop", problem: /not a function of this stack/,
    breakIt: (j) => { resource(j, "aws_secretsmanager_secret_rotation", "client_shop").rotation_lambda_arn = "arn:aws:lambda:eu-central-1:123456789012:function:other"; },
  },
  {
    rule: "M2M-WAF-001", what: "WAF logs with the Authorization header", address: "aws_wafv2_web_acl_logging_configuration.user_pool_waf", problem: /does not redact the authorization header/,
    breakIt: (j) => { resource(j, "aws_wafv2_web_acl_logging_configuration", "user_pool_waf").redacted_fields = [{ single_header: { name: "x-request-id" } }]; },
  },
  {
    rule: "M2M-WAF-001", what: "WAF logs to a group WAF refuses", address: "aws_wafv2_web_acl_logging_configuration.api_waf", problem: /does not start with aws-waf-logs-/,
    breakIt: (j) => { resource(j, "aws_cloudwatch_log_group", "api_waf").name = "/waf/api"; },
  },
  {
    rule: "M2M-WAF-001", what: "a web ACL without logging", address: "aws_wafv2_web_acl.user_pool", problem: /has no logging configuration/,
    breakIt: (j) => { delete j.resource!.aws_wafv2_web_acl_logging_configuration!.user_pool_waf; },
  },
  {
    rule: "M2M-WAF-002", what: "an unguarded token endpoint", address: "aws_cognito_user_pool.user_pool", problem: /no web ACL while the stage has one/,
    breakIt: (j) => { delete j.resource!.aws_wafv2_web_acl_association!.user_pool; },
  },
  {
    rule: "M2M-WAF-002", what: "a user-pool rate rule for every path", address: "aws_cognito_user_pool.user_pool", problem: /no blocking rate rule scoped to \/oauth2\/token/,
    breakIt: (j) => { delete resource(j, "aws_wafv2_web_acl", "user_pool").rule[0].statement.rate_based_statement.scope_down_statement; },
  },
  {
    rule: "M2M-WAF-002", what: "the stage's ACL without known bad inputs", address: "aws_wafv2_web_acl.api", problem: /AWSManagedRulesKnownBadInputsRuleSet/,
    breakIt: (j) => { const acl = resource(j, "aws_wafv2_web_acl", "api"); acl.rule = acl.rule.filter((r: any) => !r.statement.managed_rule_group_statement); },
  },
  // Tags and portability
  {
    rule: "M2M-TAG-001", what: "default tags without Environment", address: "provider.aws", problem: /lacks Environment/, cascades: true,
    breakIt: (j) => { delete (j.provider!.aws[0] as any).default_tags[0].tags.Environment; },
  },
  {
    rule: "M2M-TAG-001", what: "default tags naming another environment", address: "provider.aws", problem: /not "live"/,
    breakIt: (j) => { (j.provider!.aws[0] as any).default_tags[0].tags.Environment = "staging"; },
  },
  {
    rule: "M2M-TAG-001", what: "a resource blanking a default tag", address: "aws_cognito_user_pool.user_pool", problem: /override the default Project/,
    breakIt: (j) => { resource(j, "aws_cognito_user_pool", "user_pool").tags = { Project: "" }; },
  },
  {
    rule: "M2M-TAG-001", what: "a resource on an untagged aliased provider", address: "aws_sns_topic.alarms", problem: /provider aws.us_east_1/, cascades: true,
    breakIt: (j) => { j.provider!.aws.push({ alias: "us_east_1", region: "us-east-1" }); resource(j, "aws_sns_topic", "alarms").provider = "aws.us_east_1"; },
  },
  {
    rule: "M2M-API-001", what: "a metered method whose only requirement is the usage key", address: "aws_api_gateway_rest_api_put.api", problem: /names 0 authorizers, not one \(an API key is not an authorization\)/,
    breakIt: (j) => {
      const put = resource(j, "aws_api_gateway_rest_api_put", "api");
      const document = JSON.parse(put.body);
      document.paths["/refunds"].post.security = [{ api_key: [] }];
      put.body = JSON.stringify(document);
    },
  },
  // Partner contracts (finance is limited)
  {
    rule: "M2M-USG-001", what: "a limited client without an API key", address: "aws_cognito_user_pool_client.client_finance", problem: /no API key derived from its id/,
    breakIt: (j) => { delete j.resource!.aws_api_gateway_api_key!.usage_key_finance; },
  },
  {
    rule: "M2M-USG-001", what: "a limited client's key in no usage plan", address: "aws_api_gateway_api_key.usage_key_finance", problem: /is in no usage plan/,
    breakIt: (j) => { delete j.resource!.aws_api_gateway_usage_plan_key!.usage_plan_key_finance; },
  },
  {
    rule: "M2M-USG-001", what: "a usage plan without throttling", address: "aws_api_gateway_usage_plan.usage_plan_client-finance", problem: /no throttle_settings/,
    breakIt: (j) => { delete resource(j, "aws_api_gateway_usage_plan", "usage_plan_client-finance").throttle_settings; },
  },
  {
    rule: "M2M-USG-001", what: "a usage plan on no stage", address: "aws_api_gateway_usage_plan.usage_plan_client-finance", problem: /attached to no stage/,
    breakIt: (j) => { delete resource(j, "aws_api_gateway_usage_plan", "usage_plan_client-finance").api_stages; },
  },
  {
    rule: "M2M-USG-001", what: "keys taken from callers' headers", address: "aws_api_gateway_rest_api.rest_api", problem: /api_key_source is "HEADER", not AUTHORIZER/,
    breakIt: (j) => { resource(j, "aws_api_gateway_rest_api", "rest_api").api_key_source = "HEADER"; },
  },
  {
    rule: "M2M-USG-001", what: "a document without the key source", address: "aws_api_gateway_rest_api_put.api", problem: /x-amazon-apigateway-api-key-source is "HEADER"/,
    breakIt: (j) => {
      const put = resource(j, "aws_api_gateway_rest_api_put", "api");
      const document = JSON.parse(put.body);
      delete document["x-amazon-apigateway-api-key-source"];
      put.body = JSON.stringify(document);
    },
  },
  {
    rule: "M2M-USG-002", what: "an output with an API key value", address: "output.finance_key", problem: /reads the value of aws_api_gateway_api_key.usage_key_finance/,
    breakIt: (j) => { j.output!.finance_key = { value: "${aws_api_gateway_api_key.usage_key_finance.value}", sensitive: true }; },
  },
  {
    rule: "M2M-USG-002", what: "an API key value in the scope checker's environment", address: "aws_lambda_function.scope_checker", problem: /has the value of aws_api_gateway_api_key.usage_key_finance/,
    breakIt: (j) => { resource(j, "aws_lambda_function", "scope_checker").environment.variables.KEY = "${aws_api_gateway_api_key.usage_key_finance.value}"; },
  },
  {
    rule: "M2M-OUT-001", what: "an absolute path in an archive", address: "data.archive_file.scope_checker", problem: /output_path holds an absolute path \("\/work\/"\)/,
    breakIt: (j) => { (j.data as any).archive_file.scope_checker.output_path = "/work/main/cdktf.out/scope-checker.zip"; },
  },
  {
    rule: "M2M-OUT-001", what: "a Windows path in a tag", address: "aws_sns_topic.alarms", problem: /tags.Source holds an absolute path/,
    breakIt: (j) => { resource(j, "aws_sns_topic", "alarms").tags = { Source: "C:\\Users\\ops\\m2m" }; },
  },
  {
    rule: "M2M-OUT-001", what: "a temp path in the local backend of the dev stack", address: "terraform.backend.local", problem: /path holds an absolute path \("\/tmp\/"\)/,
    base: defaults.dev, breakIt: (j) => { (j.terraform!.backend as any).local.path = "/tmp/terraform.dev.tfstate"; },
  },
  // Issue 24: the partner edge (the partner-edge example's production stack).
  { rule: "M2M-EDG-001", what: "a custom domain on TLS 1.0", address: "aws_api_gateway_domain_name.api_domain", problem: /security_policy is "TLS_1_0"/, base: edge, breakIt: (j) => void (resource(j, "aws_api_gateway_domain_name", "api_domain").security_policy = "TLS_1_0") },
  { rule: "M2M-EDG-001", what: "a custom domain on API Gateway's default policy", address: "aws_api_gateway_domain_name.api_domain", problem: /security_policy is null/, base: edge, breakIt: (j) => void delete resource(j, "aws_api_gateway_domain_name", "api_domain").security_policy },
  { rule: "M2M-EDG-002", what: "a REST API behind mTLS with its execute-api endpoint on", address: "aws_api_gateway_rest_api.payments_rest_api", problem: /disable_execute_api_endpoint is not true/, base: edge, breakIt: (j) => void delete resource(j, "aws_api_gateway_rest_api", "payments_rest_api").disable_execute_api_endpoint },
  { rule: "M2M-EDG-002", what: "a put document that would turn the execute-api endpoint back on", address: "aws_api_gateway_rest_api_put.content_api", problem: /overwrite mode would turn the execute-api endpoint/, base: edge, breakIt: (j) => editEdgeDocument(j, "content", (d) => delete d.servers) },
  { rule: "M2M-EDG-003", what: "an unversioned truststore bucket", address: "aws_s3_bucket.truststore", problem: /is not versioned/, base: edge, breakIt: (j) => void (resource(j, "aws_s3_bucket_versioning", "truststore").versioning_configuration = { status: "Suspended" }) },
  { rule: "M2M-EDG-003", what: "a truststore bucket open to public policies", address: "aws_s3_bucket.truststore", problem: /does not block public access/, base: edge, breakIt: (j) => void (resource(j, "aws_s3_bucket_public_access_block", "truststore").block_public_policy = false) },
  { rule: "M2M-EDG-003", what: "a truststore bucket without its TLS-only policy", address: "aws_s3_bucket.truststore", problem: /denying requests without TLS/, base: edge, breakIt: (j) => void delete j.resource!.aws_s3_bucket_policy },
  { rule: "M2M-EDG-003", what: "a truststore bucket without encryption", address: "aws_s3_bucket.truststore", problem: /no default server-side encryption/, base: edge, breakIt: (j) => void delete j.resource!.aws_s3_bucket_server_side_encryption_configuration },
  { rule: "M2M-EDG-003", what: "a domain that does not pin the truststore version", address: "aws_api_gateway_domain_name.api_domain", problem: /does not pin truststore_version/, base: edge, breakIt: (j) => void delete resource(j, "aws_api_gateway_domain_name", "api_domain").mutual_tls_authentication.truststore_version },
];

describe("each rule fails on a broken stack, naming the address", () => {
  test("every rule has at least one broken case", () => {
    const covered = new Set(cases.map((c) => c.rule));
    expect(ALL_RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  test.each(cases.map((c) => [c.rule, c.what, c] as const))("%s: %s", (ruleId, _what, c) => {
    const rule = ALL_RULES.find((r) => r.id === ruleId)!;
    const base = c.base ?? live;
    // The unbroken stack passes this rule: the failure below comes from the break alone.
    expect(rule.check(base).failures).toEqual([]);
    const broken = copyOf(base);
    c.breakIt(broken.json, broken);
    const failures = rule.check(broken).failures;
    if (!c.cascades) expect(failures.map((f) => f.address)).toEqual([c.address]);
    const named = failures.find((f) => f.address === c.address);
    expect(named?.problem).toMatch(c.problem);
  });
});
