/**
 * DESIGN.md's "Terraform correctness" list, rule by rule, on the real synthesized stacks of
 * the default config (cdktf Testing matchers where they fit, plain JSON otherwise).
 */
import { ApiGatewayDeployment } from "@cdktf/provider-aws/lib/api-gateway-deployment";
import { ApiGatewayIntegration } from "@cdktf/provider-aws/lib/api-gateway-integration";
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { CognitoResourceServer } from "@cdktf/provider-aws/lib/cognito-resource-server";
import { CognitoUserPool } from "@cdktf/provider-aws/lib/cognito-user-pool";
import { CognitoUserPoolClient } from "@cdktf/provider-aws/lib/cognito-user-pool-client";
import { CognitoUserPoolDomain } from "@cdktf/provider-aws/lib/cognito-user-pool-domain";
import { Testing } from "cdktf";
import "cdktf/lib/testing/adapters/jest"; // the matchers' types
import defaultConfig from "../../m2m.config";
import { resourceOf, resourcesOf, synthDefault } from "../support/synth";

Testing.setupJest();
const stacks = synthDefault();
const dev = stacks.dev!;
const prod = stacks.prod!;
const RS = "${aws_cognito_resource_server.resource_server.identifier}";

describe("1. no dependency cycle: the resource server identifier is the invoke URL built from literals", () => {
  test.each([["dev", dev], ["prod", prod]])("%s", (env, stack) => {
    expect(stack.text).toHaveResourceWithProperties(CognitoResourceServer, {
      identifier: `https://\${aws_api_gateway_rest_api.rest_api.id}.execute-api.eu-west-1.amazonaws.com/${env}`,
    });
  });
});

describe("2. scopes exist before they are used", () => {
  test("method scopes and client scopes interpolate the resource server identifier", () => {
    expect(resourceOf(dev, "aws_api_gateway_method", "get_premium").authorization_scopes).toEqual([`${RS}/read`]);
    expect(resourceOf(dev, "aws_api_gateway_method", "get_hello-world").authorization_scopes).toEqual([`${RS}/hello-world`]);
    expect(resourceOf(dev, "aws_cognito_user_pool_client", "client_writer").allowed_oauth_scopes).toEqual([`${RS}/read`, `${RS}/write`]);
  });
});

describe("3. access tokens need method scopes", () => {
  test("every COGNITO_USER_POOLS method has authorization scopes", () => {
    const methods = Object.values(resourcesOf(dev, "aws_api_gateway_method"));
    const cognito = methods.filter((m) => m.authorization === "COGNITO_USER_POOLS");
    expect(cognito).toHaveLength(defaultConfig.routes.filter((r) => (r.authorizer ?? "cognito") === "cognito").length);
    for (const method of cognito) {
      expect(method.authorization_scopes.length).toBeGreaterThan(0);
      expect(method.authorizer_id).toBe("${aws_api_gateway_authorizer.cognito.id}");
    }
  });
  test("no method is open", () => {
    for (const method of Object.values(resourcesOf(dev, "aws_api_gateway_method"))) {
      expect(["COGNITO_USER_POOLS", "CUSTOM"]).toContain(method.authorization);
    }
  });
  test("the Cognito authorizer trusts the pool and reads the Authorization header", () => {
    expect(resourceOf(dev, "aws_api_gateway_authorizer", "cognito")).toMatchObject({
      type: "COGNITO_USER_POOLS",
      provider_arns: ["${aws_cognito_user_pool.user_pool.arn}"],
      identity_source: "method.request.header.Authorization",
    });
  });
});

describe("4. deployment is correct on first apply and redeploys on change", () => {
  const deployment = resourceOf(dev, "aws_api_gateway_deployment", "deployment");
  test("create_before_destroy and a redeployment trigger hashing every part", () => {
    expect(dev.text).toHaveResourceWithProperties(ApiGatewayDeployment, { lifecycle: { create_before_destroy: true } });
    const trigger: string = deployment.triggers.redeployment;
    expect(trigger).toMatch(/^\$\{sha1\(jsonencode\(\[.*\]\)\)\}$/);
    for (const address of deployment.depends_on as string[]) expect(trigger).toContain(address);
  });
  test("a separate stage points at the deployment", () => {
    expect(dev.text).toHaveResourceWithProperties(ApiGatewayStage, {
      stage_name: "dev",
      deployment_id: "${aws_api_gateway_deployment.deployment.id}",
    });
  });
  test("shared path prefixes share one resource", () => {
    const resources = Object.values(resourcesOf(dev, "aws_api_gateway_resource")).map((r) => r.path_part).sort();
    expect(resources).toEqual(["hello-world", "payments", "premium"]);
  });
});

describe("5. mock integrations", () => {
  test("MOCK with the status in the request template, integration and method responses", () => {
    expect(dev.text).toHaveResourceWithProperties(ApiGatewayIntegration, {
      type: "MOCK",
      request_templates: { "application/json": '{"statusCode":200}' },
      http_method: "${aws_api_gateway_method.get_hello-world.http_method}",
    });
    expect(resourceOf(dev, "aws_api_gateway_method_response", "get_hello-world")).toMatchObject({ status_code: "200" });
    expect(resourceOf(dev, "aws_api_gateway_integration_response", "get_hello-world")).toMatchObject({
      status_code: "${aws_api_gateway_method_response.get_hello-world.status_code}",
      response_templates: { "application/json": '{"message":"hello world!"}' },
      depends_on: ["aws_api_gateway_integration.get_hello-world"],
    });
    expect(resourceOf(dev, "aws_api_gateway_method_response", "post_premium")).toMatchObject({ status_code: "201" });
  });
});

describe("6. clients and the user pool", () => {
  test("each client: client credentials only, secret, revocation, no user-existence errors, explicit units", () => {
    const clients = resourcesOf(dev, "aws_cognito_user_pool_client");
    expect(Object.keys(clients).sort()).toEqual(["client_3rd-party", "client_billing", "client_reader", "client_writer"]);
    expect(dev.text).toHaveResourceWithProperties(CognitoUserPoolClient, {
      name: "billing",
      allowed_oauth_flows: ["client_credentials"],
      allowed_oauth_flows_user_pool_client: true,
      generate_secret: true,
      enable_token_revocation: true,
      prevent_user_existence_errors: "ENABLED",
      access_token_validity: 15,
      token_validity_units: [{ access_token: "minutes", id_token: "minutes", refresh_token: "days" }],
    });
    for (const client of Object.values(clients)) {
      expect(client.allowed_oauth_flows).toEqual(["client_credentials"]);
      expect(client.generate_secret).toBe(true);
      expect(client.enable_token_revocation).toBe(true);
    }
  });
  test("admin-only user pool; deletion protection only where the environment asks", () => {
    expect(dev.text).toHaveResourceWithProperties(CognitoUserPool, {
      admin_create_user_config: { allow_admin_create_user_only: true },
      account_recovery_setting: { recovery_mechanism: [{ name: "admin_only", priority: 1 }] },
      deletion_protection: "INACTIVE",
    });
    expect(resourceOf(dev, "aws_cognito_user_pool", "user_pool").lifecycle).toBeUndefined();
    expect(prod.text).toHaveResourceWithProperties(CognitoUserPool, { deletion_protection: "ACTIVE", lifecycle: { prevent_destroy: true } });
  });
  test("the domain is the configured prefix", () => {
    expect(prod.text).toHaveResourceWithProperties(CognitoUserPoolDomain, { domain: "m2m-demo-prod" });
  });
});

describe("gateway responses speak OAuth", () => {
  test("401 and 403 carry a JSON body and an RFC 6750 Bearer challenge", () => {
    expect(resourceOf(dev, "aws_api_gateway_gateway_response", "unauthorized")).toMatchObject({
      response_type: "UNAUTHORIZED",
      status_code: "401",
      response_parameters: { "gatewayresponse.header.WWW-Authenticate": "'Bearer realm=\"m2m-demo-api\"'" },
      response_templates: { "application/json": '{"message":$context.error.messageString}' },
    });
    expect(resourceOf(dev, "aws_api_gateway_gateway_response", "access_denied")).toMatchObject({
      response_type: "ACCESS_DENIED",
      status_code: "403",
      response_parameters: { "gatewayresponse.header.WWW-Authenticate": "'Bearer realm=\"m2m-demo-api\", error=\"insufficient_scope\"'" },
    });
  });
});

describe("the stack: provider, backend, outputs", () => {
  test("region and default tags", () => {
    expect(prod.json.provider.aws).toEqual([
      { region: "eu-west-1", default_tags: [{ tags: { CostCenter: "platform", Project: "cognito-m2m", Api: "m2m-demo-api", Environment: "prod", ManagedBy: "cdktf" } }] },
    ]);
  });
  test("local backend with a relative path by default", () => {
    expect(dev.json.terraform.backend).toEqual({ local: { path: "../../../terraform.dev.tfstate" } });
  });
  test("an S3 backend is encrypted and locked (S3's lock file when no DynamoDB table is given)", () => {
    expect(prod.json.terraform.backend).toEqual({
      s3: { bucket: "acme-terraform-state", key: "cognito-m2m/prod.tfstate", region: "eu-west-1", encrypt: true, use_lockfile: true },
    });
  });
  test("outputs: URLs, ids, scopes, and secrets only as sensitive", () => {
    const outputs = dev.json.output;
    expect(Object.keys(outputs).sort()).toEqual(["client_ids", "client_secret_arns", "client_secrets", "invoke_url", "resource_server_identifier", "scopes", "token_endpoint", "user_pool_id"]);
    expect(outputs.token_endpoint!.value).toBe("https://m2m-demo-dev.auth.eu-west-1.amazoncognito.com/oauth2/token");
    expect(outputs.scopes!.value).toEqual(defaultConfig.api.scopes.map((s) => `${RS}/${s.name}`));
    expect(outputs.client_secrets!.sensitive).toBe(true);
    for (const [name, output] of Object.entries(outputs)) {
      if (name !== "client_secrets") {
        expect(output.sensitive).toBe(false);
        expect(JSON.stringify(output.value)).not.toContain("client_secret}");
      }
    }
  });
  test("each client's credentials go to Secrets Manager (recovery window in production, immediate deletion in development)", () => {
    expect(resourceOf(prod, "aws_secretsmanager_secret", "client_reader")).toMatchObject({ name: "m2m-demo-api/prod/reader", recovery_window_in_days: 30 });
    expect(resourceOf(dev, "aws_secretsmanager_secret", "client_reader")).toMatchObject({ recovery_window_in_days: 0 });
    const version = resourceOf(dev, "aws_secretsmanager_secret_version", "client_reader").secret_string as string;
    expect(version).toContain("aws_cognito_user_pool_client.client_reader.client_secret");
    expect(version).toContain(`${RS}/read`);
  });
});
