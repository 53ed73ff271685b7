/**
 * DESIGN.md's "Terraform correctness" list, rule by rule, on the real synthesized stacks of
 * the default config (cdktf Testing matchers where they fit, plain JSON otherwise).
 */
import { ApiGatewayDeployment } from "@cdktn/provider-aws/lib/api-gateway-deployment";
import { ApiGatewayStage } from "@cdktn/provider-aws/lib/api-gateway-stage";
import { CognitoResourceServer } from "@cdktn/provider-aws/lib/cognito-resource-server";
import { CognitoUserPool } from "@cdktn/provider-aws/lib/cognito-user-pool";
import { CognitoUserPoolClient } from "@cdktn/provider-aws/lib/cognito-user-pool-client";
import { CognitoUserPoolDomain } from "@cdktn/provider-aws/lib/cognito-user-pool-domain";
import { Testing } from "cdktn";
import "cdktn/lib/testing/adapters/jest"; // the matchers' types
import defaultConfig from "../fixtures/single-api.config";
import { apiDocumentOf, operationsOf, resourceOf, resourcesOf, synthConfig, synthDefault } from "../support/synth";

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
    const operations = operationsOf(dev);
    expect(operations["GET /premium"]!.security).toEqual([{ "cognito-user-pool": [`${RS}/read`] }]);
    expect(operations["GET /hello-world"]!.security).toEqual([{ "cognito-user-pool": [`${RS}/hello-world`] }]);
    expect(resourceOf(dev, "aws_cognito_user_pool_client", "client_writer").allowed_oauth_scopes).toEqual([`${RS}/read`, `${RS}/write`]);
  });
});

describe("3. access tokens need method scopes", () => {
  test("every Cognito-authorized method has authorization scopes, and no route is missing", () => {
    const operations = operationsOf(dev);
    expect(Object.keys(operations).sort()).toEqual(defaultConfig.routes.map((r) => `${r.method} ${r.path}`).sort());
    const cognito = Object.values(operations).filter((o) => "cognito-user-pool" in o.security[0]);
    expect(cognito).toHaveLength(defaultConfig.routes.filter((r) => (r.authorizer ?? "cognito") === "cognito").length);
    for (const operation of cognito) expect(operation.security[0]["cognito-user-pool"].length).toBeGreaterThan(0);
  });
  test("no method is open: each names exactly one authorizer of the document", () => {
    const schemes = apiDocumentOf(dev).components.securitySchemes;
    for (const operation of Object.values(operationsOf(dev))) {
      expect(operation.security).toHaveLength(1);
      const names = Object.keys(operation.security[0]);
      expect(names).toHaveLength(1);
      expect(["cognito_user_pools", "custom"]).toContain(schemes[names[0]!]["x-amazon-apigateway-authtype"]);
    }
  });
  test("the Cognito authorizer trusts the pool and reads the Authorization header", () => {
    expect(apiDocumentOf(dev).components.securitySchemes["cognito-user-pool"]).toEqual({
      type: "apiKey",
      name: "Authorization",
      in: "header",
      "x-amazon-apigateway-authtype": "cognito_user_pools",
      "x-amazon-apigateway-authorizer": { type: "cognito_user_pools", providerARNs: ["${aws_cognito_user_pool.user_pool.arn}"] },
    });
  });
});

describe("4. deployment is correct on first apply and redeploys on change", () => {
  const deployment = resourceOf(dev, "aws_api_gateway_deployment", "deployment");
  test("the whole API is one document put in overwrite mode onto the REST API made first", () => {
    const put = resourceOf(dev, "aws_api_gateway_rest_api_put", "api");
    expect(put.rest_api_id).toBe("${aws_api_gateway_rest_api.rest_api.id}");
    expect(put.fail_on_warnings).toBe(true);
    // Nothing else defines API contents: a second definition would fight the put (overwrite).
    for (const type of ["aws_api_gateway_resource", "aws_api_gateway_method", "aws_api_gateway_integration", "aws_api_gateway_method_response", "aws_api_gateway_integration_response", "aws_api_gateway_authorizer", "aws_api_gateway_gateway_response", "aws_api_gateway_rest_api_policy"]) {
      expect([type, resourcesOf(dev, type)]).toEqual([type, {}]);
    }
    expect(resourceOf(dev, "aws_api_gateway_rest_api", "rest_api").body).toBeUndefined();
  });
  test("the document's title and description are the REST API's own (overwrite sets both)", () => {
    const restApi = resourceOf(dev, "aws_api_gateway_rest_api", "rest_api");
    expect(apiDocumentOf(dev).info).toEqual({ title: restApi.name, description: restApi.description, version: "1" });
  });
  test("create_before_destroy, after the put, triggered by the document as configured", () => {
    expect(dev.text).toHaveResourceWithProperties(ApiGatewayDeployment, { lifecycle: { create_before_destroy: true } });
    expect(deployment.triggers).toEqual({ redeployment: "${sha1(aws_api_gateway_rest_api_put.api.body)}" });
    expect(deployment.depends_on).toEqual(["aws_api_gateway_rest_api_put.api"]);
  });
  test("a separate stage points at the deployment", () => {
    expect(dev.text).toHaveResourceWithProperties(ApiGatewayStage, {
      stage_name: "dev",
      deployment_id: "${aws_api_gateway_deployment.deployment.id}",
    });
  });
  test("the document does not depend on route order", () => {
    const reversed = synthConfig({ ...defaultConfig, routes: [...defaultConfig.routes].reverse() });
    expect(resourceOf(reversed.dev!, "aws_api_gateway_rest_api_put", "api").body).toBe(resourceOf(dev, "aws_api_gateway_rest_api_put", "api").body);
  });
});

describe("5. mock integrations", () => {
  test("MOCK with the status in the request template, integration and method responses", () => {
    const operations = operationsOf(dev);
    expect(operations["GET /hello-world"]!["x-amazon-apigateway-integration"]).toEqual({
      type: "mock",
      requestTemplates: { "application/json": '{"statusCode":200}' },
      passthroughBehavior: "never",
      responses: { default: { statusCode: "200", responseTemplates: { "application/json": '{"message":"hello world!"}' } } },
    });
    expect(operations["GET /hello-world"]!.responses).toEqual({ "200": { description: "Mock response" } });
    expect(operations["POST /premium"]!.responses).toEqual({ "201": { description: "Mock response" } });
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
    const responses = apiDocumentOf(dev)["x-amazon-apigateway-gateway-responses"];
    expect(responses.UNAUTHORIZED).toEqual({
      statusCode: 401,
      responseParameters: { "gatewayresponse.header.WWW-Authenticate": "'Bearer realm=\"m2m-demo-api\"'" },
      responseTemplates: { "application/json": '{"message":$context.error.messageString}' },
    });
    expect(responses.ACCESS_DENIED).toMatchObject({
      statusCode: 403,
      responseParameters: { "gatewayresponse.header.WWW-Authenticate": "'Bearer realm=\"m2m-demo-api\", error=\"insufficient_scope\"'" },
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
