/**
 * Route backends in real synth output, one kind at a time: a handler of this repository (its
 * bundle, function, role, log group, one invoke permission per route), an existing function by
 * ARN (a permission only), an HTTPS service (an http_proxy integration with the identity
 * headers), and the mock that stays the default.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import defaultConfig from "../fixtures/single-api.config";
import type { M2MConfigInput } from "../../model/config-types";
import { operationsOf, resourceOf, resourcesOf, synthConfig, tempDir } from "../support/synth";

const ECHO = "__tests__/fixtures/backends/echo.ts";
const EXISTING = "arn:aws:lambda:eu-west-1:123456789012:function:rates:live";
const config: M2MConfigInput = {
  ...defaultConfig,
  routes: [
    ...defaultConfig.routes,
    {
      method: "GET",
      path: "/echo/{id}",
      scopes: ["read"],
      backend: {
        type: "lambda",
        handler: `${ECHO}#handler`,
        memoryMb: 512,
        timeoutSeconds: 20,
        permissions: [{ actions: ["dynamodb:GetItem"], resources: ["arn:aws:dynamodb:eu-west-1:123456789012:table/echo"] }],
        environment: { TABLE_NAME: "echo" },
        reservedConcurrency: { prod: 20 },
      },
    },
    { method: "ANY", path: "/echo/{id}/items/{proxy+}", scopes: ["write"], authorizer: "scope-checker", backend: { type: "lambda", handler: `${ECHO}#handler` } },
    { method: "GET", path: "/rates", scopes: ["read"], backend: { type: "lambda-arn", functionArn: EXISTING } },
    { method: "GET", path: "/orders/{id}", scopes: ["read"], backend: { type: "http", url: "https://orders.example.com/v1/orders/{id}", timeoutMs: 8000 } },
    { method: "POST", path: "/orders/{id}/refunds", scopes: ["payments.write", "payments.read"], authorizer: "scope-checker", backend: { type: "http", url: "https://orders.example.com/v1/orders/{id}/refunds" } },
  ],
};
const outdir = tempDir("backends");
const stacks = synthConfig(config, outdir);
const dev = stacks.dev!;
const ops = operationsOf(dev);
const ECHO_FN = "backend_tests_fixtures_backends_echo";
const EXEC = "${aws_api_gateway_rest_api.rest_api.execution_arn}";

afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

describe("a Lambda handler of this repository", () => {
  it("becomes one function for both routes: Node.js 22 on arm64, X-Ray, its settings and environment, after its log group and policies", () => {
    const functions = Object.keys(resourcesOf(dev, "aws_lambda_function")).sort();
    expect(functions).toEqual(["backend_payments", ECHO_FN, "scope_checker"]);
    expect(resourceOf(dev, "aws_lambda_function", ECHO_FN)).toEqual({
      function_name: "m2m-demo-api-dev-tests-fixtures-backends-echo",
      description: `cognito-m2m backend ${ECHO}#handler`,
      role: `\${aws_iam_role.${ECHO_FN}.arn}`,
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      filename: `\${data.archive_file.${ECHO_FN}.output_path}`,
      source_code_hash: `\${data.archive_file.${ECHO_FN}.output_base64sha256}`,
      code_sha256: `\${data.archive_file.${ECHO_FN}.output_base64sha256}`,
      memory_size: 512,
      timeout: 20,
      tracing_config: { mode: "Active" },
      logging_config: { log_format: "JSON", application_log_level: "INFO", system_log_level: "INFO" },
      environment: { variables: { TABLE_NAME: "echo" } },
      depends_on: [`aws_cloudwatch_log_group.${ECHO_FN}`, `aws_iam_role_policy.${ECHO_FN}_logs`, `aws_iam_role_policy.${ECHO_FN}_permissions`],
    });
    // The default config's payments handler: defaults, no environment.
    expect(resourceOf(dev, "aws_lambda_function", "backend_payments")).toMatchObject({ memory_size: 256, timeout: 10, handler: "index.handler" });
    expect(resourceOf(dev, "aws_lambda_function", "backend_payments").environment).toBeUndefined();
  });

  it("reserves concurrency only in the environments its config names (opt-in, like the scope checker)", () => {
    expect(resourceOf(stacks.prod!, "aws_lambda_function", ECHO_FN).reserved_concurrent_executions).toBe(20);
    expect(resourceOf(stacks.prod!, "aws_lambda_function", "backend_payments").reserved_concurrent_executions).toBeUndefined();
    expect(resourceOf(stacks.prod!, "aws_lambda_function", "scope_checker").reserved_concurrent_executions).toBeUndefined();
  });

  it("has its own log group with the environment's retention, and a role that writes only there, plus what it declared", () => {
    expect(resourceOf(dev, "aws_cloudwatch_log_group", ECHO_FN)).toEqual({ name: "/aws/lambda/m2m-demo-api-dev-tests-fixtures-backends-echo", retention_in_days: 14 });
    expect(resourceOf(stacks.prod!, "aws_cloudwatch_log_group", ECHO_FN).retention_in_days).toBe(365);
    const logs = resourceOf(dev, "aws_iam_role_policy", `${ECHO_FN}_logs`);
    expect(logs.role).toBe(`\${aws_iam_role.${ECHO_FN}.id}`);
    expect(logs.policy).toContain(`"Resource" = "\${aws_cloudwatch_log_group.${ECHO_FN}.arn}:*"`);
    expect(JSON.parse(resourceOf(dev, "aws_iam_role_policy", `${ECHO_FN}_permissions`).policy)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Sid: "Declared1", Effect: "Allow", Action: ["dynamodb:GetItem"], Resource: ["arn:aws:dynamodb:eu-west-1:123456789012:table/echo"] }],
    });
    // No permissions declared, no such policy.
    expect(resourcesOf(dev, "aws_iam_role_policy").backend_payments_permissions).toBeUndefined();
    expect(JSON.parse(resourceOf(dev, "aws_iam_role", ECHO_FN).assume_role_policy).Statement).toEqual([{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }]);
  });

  it("is bundled by esbuild into an asset, zipped with a fixed file mode", () => {
    const archive = (dev.json.data as any).archive_file[ECHO_FN];
    expect(archive).toMatchObject({ type: "zip", output_path: `${ECHO_FN}.zip`, output_file_mode: "0644" });
    const bundle = path.join(outdir, "stacks", "dev", archive.source_file);
    const text = fs.readFileSync(bundle, "utf8");
    expect(text).toMatch(/export\s*\{[^}]*\bhandler\b/);
    expect(text).not.toContain("sourceMappingURL");
    expect(text).not.toContain(process.cwd());
  });

  it("gets an invoke permission per route, scoped to that route's method ARN", () => {
    expect(resourceOf(dev, "aws_lambda_permission", "backend_get_echo_id")).toEqual({
      statement_id: "AllowApiGateway-get_echo_id",
      action: "lambda:InvokeFunction",
      function_name: `\${aws_lambda_function.${ECHO_FN}.function_name}`,
      principal: "apigateway.amazonaws.com",
      source_arn: `${EXEC}/*/GET/echo/*`,
    });
    // ANY is any method, {proxy+} any rest of the path: only under /echo/*/items/.
    expect(resourceOf(dev, "aws_lambda_permission", "backend_any_echo_id_items_proxy-greedy").source_arn).toBe(`${EXEC}/*/*/echo/*/items/*`);
    expect(resourceOf(dev, "aws_lambda_permission", "backend_post_payments").source_arn).toBe(`${EXEC}/*/POST/payments`);
    for (const permission of Object.values(resourcesOf(dev, "aws_lambda_permission"))) expect(permission.source_arn).not.toMatch(/\/\*\/\*$/);
  });

  it("is the route's aws_proxy integration, invoked with POST whatever the route's method", () => {
    for (const id of ["GET /echo/{id}", "ANY /echo/{id}/items/{proxy+}"]) {
      expect(ops[id]!["x-amazon-apigateway-integration"]).toEqual({
        type: "aws_proxy",
        httpMethod: "POST",
        uri: `\${aws_lambda_function.${ECHO_FN}.invoke_arn}`,
        passthroughBehavior: "when_no_match",
        timeoutInMillis: 29000,
      });
    }
    expect(ops["ANY /echo/{id}/items/{proxy+}"]!.security).toEqual([{ "scope-checker": [] }]);
  });
});

describe("an existing Lambda function by ARN", () => {
  it("gets only a permission, scoped to the route's method, and is invoked by its ARN", () => {
    expect(Object.keys(resourcesOf(dev, "aws_lambda_function"))).not.toContain("backend_rates");
    expect(resourceOf(dev, "aws_lambda_permission", "backend_get_rates")).toMatchObject({ function_name: EXISTING, source_arn: `${EXEC}/*/GET/rates` });
    expect(ops["GET /rates"]!["x-amazon-apigateway-integration"]).toMatchObject({
      type: "aws_proxy",
      httpMethod: "POST",
      uri: `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/${EXISTING}/invocations`,
    });
  });
});

describe("an HTTPS backend", () => {
  it("is an http_proxy integration with the path parameters mapped and the identity from the Cognito claims", () => {
    expect(ops["GET /orders/{id}"]!.parameters).toEqual([{ name: "id", in: "path", required: true, schema: { type: "string" } }]);
    expect(ops["GET /orders/{id}"]!["x-amazon-apigateway-integration"]).toEqual({
      type: "http_proxy",
      httpMethod: "GET",
      uri: "https://orders.example.com/v1/orders/{id}",
      requestParameters: {
        "integration.request.path.id": "method.request.path.id",
        "integration.request.header.X-M2M-Client-Id": "context.authorizer.claims.client_id",
        "integration.request.header.X-M2M-Scopes": "context.authorizer.claims.scope",
      },
      passthroughBehavior: "when_no_match",
      timeoutInMillis: 8000,
    });
  });

  it("takes the identity from the scope checker's context on its routes, with the 29 s default timeout", () => {
    expect(ops["POST /orders/{id}/refunds"]!["x-amazon-apigateway-integration"]).toMatchObject({
      httpMethod: "POST",
      requestParameters: {
        "integration.request.path.id": "method.request.path.id",
        "integration.request.header.X-M2M-Client-Id": "context.authorizer.clientId",
        "integration.request.header.X-M2M-Scopes": "context.authorizer.scope",
      },
      timeoutInMillis: 29000,
    });
  });

  it("creates no function and no permission", () => {
    expect(Object.keys(resourcesOf(dev, "aws_lambda_permission")).filter((k) => k.includes("orders"))).toEqual([]);
  });
});

describe("the mock, still the default", () => {
  it("answers GET /hello-world from a MOCK integration", () => {
    expect(ops["GET /hello-world"]!["x-amazon-apigateway-integration"]).toMatchObject({ type: "mock", passthroughBehavior: "never" });
  });
});
