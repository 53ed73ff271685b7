/** The scope checker's Terraform: bundle + access file -> zip -> function, least-privilege role, authorizer, permission. */
import * as fs from "node:fs";
import * as path from "node:path";
import defaultConfig from "../fixtures/single-api.config";
import { apiDocumentOf, operationsOf, resourceOf, synthConfig, synthDefault, tempDir } from "../support/synth";

const outdir = tempDir("checker");
const dev = synthDefault(outdir).dev!;

const accessFileOf = (stack: typeof dev) => stack.json.data!.archive_file!.scope_checker_access!.source_content as string;

test("the bundle is an asset of the stack, zipped with a fixed file mode", () => {
  const archive = dev.json.data!.archive_file!.scope_checker!;
  expect(archive).toMatchObject({ type: "zip", output_path: "scope-checker.zip", output_file_mode: "0644" });
  const source = archive.source_file as string;
  expect(source).toMatch(/^assets\/scope-checker_bundle_[0-9A-F]+\/[0-9A-F]+\/index\.mjs$/);
  const bundle = fs.readFileSync(path.join(outdir, "stacks", "dev", source), "utf8");
  expect(bundle).toContain("Unauthorized");
  expect(bundle.length).toBeLessThan(50 * 1024);
});

test("the access file: rendered by Terraform from the app client ids, zipped from content (no file read), a layer version of the function", () => {
  // Only billing holds both payments scopes: the allow-list is the clients a checked route admits.
  expect(dev.json.data!.archive_file!.scope_checker_access).toMatchObject({
    type: "zip",
    source_content: '${jsonencode({"clientIds" = [aws_cognito_user_pool_client.client_billing.id], "routes" = [{"method" = "POST", "path" = "/payments", "scopes" = ["payments.read", "payments.write"]}]})}',
    source_content_filename: "access.json",
    output_path: "scope-checker-access.zip",
    output_file_mode: "0644",
  });
  expect(resourceOf(dev, "aws_lambda_layer_version", "scope_checker_access")).toEqual({
    layer_name: "m2m-demo-api-dev-scope-checker-access",
    description: "cognito-m2m scope checker: client allow-list and routes (access.json)",
    filename: "${data.archive_file.scope_checker_access.output_path}",
    source_code_hash: "${data.archive_file.scope_checker_access.output_base64sha256}",
    compatible_runtimes: ["nodejs22.x"],
    compatible_architectures: ["arm64"],
  });
});

test("the function: nodejs22.x on arm64, code hash from the archive, the access layer, its settings and a small environment", () => {
  expect(resourceOf(dev, "aws_lambda_function", "scope_checker")).toMatchObject({
    runtime: "nodejs22.x",
    architectures: ["arm64"],
    handler: "index.handler",
    filename: "${data.archive_file.scope_checker.output_path}",
    source_code_hash: "${data.archive_file.scope_checker.output_base64sha256}",
    layers: ["${aws_lambda_layer_version.scope_checker_access.arn}"],
    memory_size: 256,
    timeout: 5,
    tracing_config: { mode: "Active" },
    depends_on: ["aws_cloudwatch_log_group.scope_checker", "aws_iam_role_policy.scope_checker_logs"],
    environment: {
      variables: {
        USER_POOL_ID: "${aws_cognito_user_pool.user_pool.id}",
        RESOURCE_SERVER_ID: "${aws_cognito_resource_server.resource_server.identifier}",
      },
    },
  });
  // No allow-list, no routes: they travel in the package, not in the 4 KB environment.
  expect(Object.keys(resourceOf(dev, "aws_lambda_function", "scope_checker").environment.variables)).toEqual(["RESOURCE_SERVER_ID", "USER_POOL_ID"]);
});

test("the role may only write to its own log group (plus X-Ray, which has no resource-level permissions)", () => {
  const role = resourceOf(dev, "aws_iam_role", "scope_checker");
  expect(JSON.parse(role.assume_role_policy)).toEqual({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
  });
  const policies = dev.json.resource.aws_iam_role_policy!;
  // The scope checker's one policy, beside the payments backend's own (backend-functions.test.ts).
  expect(Object.keys(policies).filter((p) => !p.startsWith("backend_"))).toEqual(["scope_checker_logs"]);
  expect(Object.values(policies).filter((p) => JSON.stringify(p).includes("aws_iam_role.scope_checker."))).toHaveLength(1);
  const policy = resourceOf(dev, "aws_iam_role_policy", "scope_checker_logs").policy as string;
  expect(policy).toContain('"Action" = ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource" = "${aws_cloudwatch_log_group.scope_checker.arn}:*"');
  expect(policy).toContain('"Action" = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], "Resource" = "*"');
  expect(policy).not.toMatch(/"Action" = "\*"|logs:\*|CreateLogGroup/);
  expect(dev.json.resource.aws_iam_role_policy_attachment).toBeUndefined();
});

test("the log group has retention", () => {
  expect(resourceOf(dev, "aws_cloudwatch_log_group", "scope_checker")).toEqual({ name: "/aws/lambda/m2m-demo-api-dev-scope-checker", retention_in_days: 14 });
});

test("a REQUEST authorizer on the Authorization header, results cached 300 s, in the API's document", () => {
  expect(apiDocumentOf(dev).components.securitySchemes["scope-checker"]).toEqual({
    type: "apiKey",
    name: "Authorization",
    in: "header",
    "x-amazon-apigateway-authtype": "custom",
    "x-amazon-apigateway-authorizer": {
      type: "request",
      identitySource: "method.request.header.Authorization",
      authorizerUri: "${aws_lambda_function.scope_checker.invoke_arn}",
      authorizerResultTtlInSeconds: 300,
    },
  });
  expect(dev.json.resource.aws_api_gateway_authorizer).toBeUndefined();
});

test("only this API's authorizers may invoke the function", () => {
  expect(resourceOf(dev, "aws_lambda_permission", "scope_checker")).toEqual({
    statement_id: "AllowApiGatewayAuthorizer",
    action: "lambda:InvokeFunction",
    function_name: "${aws_lambda_function.scope_checker.function_name}",
    principal: "apigateway.amazonaws.com",
    source_arn: "${aws_api_gateway_rest_api.rest_api.execution_arn}/authorizers/*",
  });
});

test("scope-checker routes name the checker and no scopes (it checks all of them itself)", () => {
  expect(operationsOf(dev)["POST /payments"]!.security).toEqual([{ "scope-checker": [] }]);
});

test("disabling a client drops its app client and its place on the allow-list; its secret stays, without credentials", () => {
  const config = structuredClone(defaultConfig) as any;
  config.clients.find((c: { name: string }) => c.name === "billing").overrides = { dev: { disabled: true } };
  const stacks = synthConfig(config);
  const dev = stacks.dev!;
  expect(accessFileOf(dev)).toMatch(/^\$\{jsonencode\(\{"clientIds" = \[\], "routes" = /);
  expect(dev.json.resource.aws_cognito_user_pool_client!.client_billing).toBeUndefined();
  expect(resourceOf(dev, "aws_secretsmanager_secret", "client_billing").name).toBe("m2m-demo-api/dev/billing");
  expect(JSON.parse(resourceOf(dev, "aws_secretsmanager_secret_version", "client_billing").secret_string)).toEqual({
    disabled: true,
    tokenEndpoint: "https://m2m-demo-dev.auth.eu-west-1.amazoncognito.com/oauth2/token",
  });
  expect(Object.keys(dev.json.output.client_ids!.value as object)).not.toContain("billing");
  expect(Object.keys(dev.json.output.client_secrets!.value as object)).not.toContain("billing");
  expect(Object.keys(dev.json.output.client_secret_arns!.value as object)).toContain("billing");
  // Other environments are untouched.
  expect(accessFileOf(stacks.prod!)).toMatch(/^\$\{jsonencode\(\{"clientIds" = \[aws_cognito_user_pool_client\.client_billing\.id\], "routes" = /);
  expect(resourceOf(stacks.prod!, "aws_cognito_user_pool_client", "client_billing").allowed_oauth_flows).toEqual(["client_credentials"]);
});

test("a config without scope-checker routes has no Lambda, archive or archive provider", () => {
  const config = structuredClone(defaultConfig) as any;
  config.routes = config.routes.filter((r: { authorizer?: string }) => r.authorizer !== "scope-checker");
  const stack = synthConfig(config).dev!;
  expect(stack.json.resource.aws_lambda_function).toBeUndefined();
  // The only data sources left are the client-secrets key's account and partition.
  expect(stack.json.data?.archive_file).toBeUndefined();
  expect(Object.keys(stack.json.data ?? {}).sort()).toEqual(["aws_caller_identity", "aws_partition"]);
  expect(stack.json.terraform.required_providers.archive).toBeUndefined();
});
