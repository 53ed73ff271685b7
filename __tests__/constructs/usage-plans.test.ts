/** Partner contracts in synth: usage plans on the stage, derived API keys, plan keys, key source AUTHORIZER, methods that require the key. */
import { createHash } from "node:crypto";
import { USAGE_KEY_PREFIX, usageIdentifierKey } from "../../lambdas/scope-checker/usage-key";
import { apiDocumentOf, operationsOf, resourceOf, resourcesOf, synthConfig, synthDefault } from "../support/synth";
import { limitedConfig } from "../support/limited-config";

const stacks = synthConfig(limitedConfig());
const dev = stacks.dev!;

test("one usage plan per tier, per client with limits of its own, and one for unlimited callers of metered routes, each on the stage", () => {
  expect(Object.keys(resourcesOf(dev, "aws_api_gateway_usage_plan")).sort()).toEqual(["usage_plan_client-settlement", "usage_plan_tier-partner", "usage_plan_unmetered"]);
  const stage = [{ api_id: "${aws_api_gateway_rest_api.rest_api.id}", stage: "${aws_api_gateway_stage.stage.stage_name}" }];
  expect(resourceOf(dev, "aws_api_gateway_usage_plan", "usage_plan_tier-partner")).toMatchObject({
    name: "m2m-demo-api-dev-tier-partner",
    api_stages: stage,
    throttle_settings: { rate_limit: 5, burst_limit: 10 },
    quota_settings: { limit: 1000000, period: "MONTH" },
  });
  expect(resourceOf(dev, "aws_api_gateway_usage_plan", "usage_plan_client-settlement")).toMatchObject({ throttle_settings: { rate_limit: 2, burst_limit: 3 }, quota_settings: { limit: 6, period: "DAY" } });
  const unmetered = resourceOf(dev, "aws_api_gateway_usage_plan", "usage_plan_unmetered");
  expect(unmetered.api_stages).toEqual(stage);
  expect(unmetered.throttle_settings).toBeUndefined();
  expect(unmetered.quota_settings).toBeUndefined();
  // The per-environment override: prod's settlement has no quota and other numbers.
  const prod = resourceOf(stacks.prod!, "aws_api_gateway_usage_plan", "usage_plan_client-settlement");
  expect(prod.throttle_settings).toEqual({ rate_limit: 20, burst_limit: 40 });
  expect(prod.quota_settings).toBeUndefined();
});

test("one API key per client in a plan, its value derived from the app client id exactly as the scope checker derives it", () => {
  expect(Object.keys(resourcesOf(dev, "aws_api_gateway_api_key")).sort()).toEqual(["usage_key_auditor", "usage_key_billing", "usage_key_settlement"]);
  const key = resourceOf(dev, "aws_api_gateway_api_key", "usage_key_billing");
  expect(key).toMatchObject({ name: "m2m-demo-api-dev-billing", enabled: true });
  expect(key.value).toBe('${sha256("cognito-m2m-usage-key:${aws_cognito_user_pool_client.client_billing.id}")}');
  // Terraform's sha256() of that string, for an id Cognito could issue, is what the Lambda returns.
  const clientId = "4h2k9s0m1n2b3v4c5x6z7l8k9j";
  const template = /^\$\{sha256\("(.*)\$\{aws_cognito_user_pool_client\.client_billing\.id\}"\)\}$/.exec(key.value)![1]!;
  expect(template).toBe(USAGE_KEY_PREFIX);
  expect(createHash("sha256").update(`${template}${clientId}`).digest("hex")).toBe(usageIdentifierKey(clientId));
  expect(usageIdentifierKey(clientId)).toMatch(/^[0-9a-f]{64}$/);
  expect(resourceOf(dev, "aws_api_gateway_usage_plan_key", "usage_plan_key_billing")).toEqual({
    key_id: "${aws_api_gateway_api_key.usage_key_billing.id}",
    key_type: "API_KEY",
    usage_plan_id: "${aws_api_gateway_usage_plan.usage_plan_tier-partner.id}",
  });
  expect(resourceOf(dev, "aws_api_gateway_usage_plan_key", "usage_plan_key_auditor").usage_plan_id).toBe("${aws_api_gateway_usage_plan.usage_plan_unmetered.id}");
});

test("the REST API takes keys from the authorizer; the metered route requires the key beside the scope checker, the others do not", () => {
  expect(resourceOf(dev, "aws_api_gateway_rest_api", "rest_api").api_key_source).toBe("AUTHORIZER");
  const document = apiDocumentOf(dev);
  expect(document["x-amazon-apigateway-api-key-source"]).toBe("AUTHORIZER");
  expect(document.components.securitySchemes.api_key).toEqual({ type: "apiKey", name: "x-api-key", in: "header" });
  const operations = operationsOf(dev);
  expect(operations["POST /payments"]!.security).toEqual([{ "scope-checker": [], api_key: [] }]);
  expect(operations["GET /hello-world"]!.security).toEqual([{ "cognito-user-pool": ["${aws_cognito_resource_server.resource_server.identifier}/hello-world"] }]);
});

test("no output and no environment variable carries an API key value", () => {
  expect(JSON.stringify(dev.json.output)).not.toMatch(/aws_api_gateway_api_key|sha256\(/);
  expect(JSON.stringify(resourcesOf(dev, "aws_lambda_function"))).not.toMatch(/aws_api_gateway_api_key|sha256\(/);
});

test("the demo config (no limits) has no usage plan, no API key and no key source", () => {
  const plain = synthDefault().dev!;
  expect(plain.json.resource.aws_api_gateway_usage_plan).toBeUndefined();
  expect(plain.json.resource.aws_api_gateway_api_key).toBeUndefined();
  expect(JSON.stringify(plain.json.resource.aws_api_gateway_rest_api)).not.toContain("api_key_source");
  expect(apiDocumentOf(plain)["x-amazon-apigateway-api-key-source"]).toBeUndefined();
  expect(apiDocumentOf(plain).components.securitySchemes.api_key).toBeUndefined();
});
