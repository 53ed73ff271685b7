/**
 * M2M-USG-001: every client with limits is metered: an API key derived from its app client id,
 * in a usage plan with throttling on a stage, and the REST API takes keys from the authorizer
 * (with key source HEADER a caller's `x-api-key` would pick the plan: keys would be credentials).
 * The clients come from the validated model (the metadata), not from the JSON: a stack that lost
 * a client's plan fails here instead of passing for having nothing to check.
 */
import { apiDefinitionsOf } from "../api-definitions";
import { referencedAddresses } from "../references";
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { blockOf, blocksOf, findByAddress, resourcesOf, type TerraformJson } from "../terraform-json";

function meteringProblem(json: TerraformJson, client: string): { address: string; problem: string } | undefined {
  const appClient = resourcesOf(json, "aws_cognito_user_pool_client").find((c) => c.body.name === client);
  const subject = appClient?.address ?? `client ${client}`;
  if (!appClient) return { address: subject, problem: "has limits but no app client in this stack" };
  const key = resourcesOf(json, "aws_api_gateway_api_key").find((k) => referencedAddresses(k.body.value, "aws_cognito_user_pool_client", ["id"]).includes(appClient.address));
  if (!key) return { address: subject, problem: `has limits but no API key derived from its id: API Gateway cannot count its calls` };
  const planKey = resourcesOf(json, "aws_api_gateway_usage_plan_key").find((pk) => referencedAddresses(pk.body.key_id, "aws_api_gateway_api_key", ["id"]).includes(key.address));
  const planAddress = planKey ? referencedAddresses(planKey.body.usage_plan_id, "aws_api_gateway_usage_plan", ["id"])[0] : undefined;
  const plan = planAddress ? findByAddress(json, planAddress) : undefined;
  if (!plan) return { address: key.address, problem: "is in no usage plan: its client's limits are not enforced" };
  if (!blockOf(plan.body.throttle_settings)) return { address: plan.address, problem: `counts limited client ${client} but has no throttle_settings` };
  if (blocksOf(plan.body.api_stages).length === 0) return { address: plan.address, problem: "is attached to no stage: it counts nothing" };
  return undefined;
}

export const usagePlansRule: SecurityRule = {
  id: "M2M-USG-001",
  rationale: "Every client with limits has an API key in a usage plan with throttling on the stage, and keys come from the authorizer (key source AUTHORIZER), never from callers",
  resourceTypes: ["aws_api_gateway_usage_plan", "aws_api_gateway_api_key", "aws_api_gateway_usage_plan_key", "aws_api_gateway_rest_api", "aws_api_gateway_rest_api_put"],
  check({ json, metadata }) {
    const out = new OutcomeRecorder();
    for (const client of metadata.limitedClients ?? []) {
      const problem = meteringProblem(json, client);
      if (problem) out.fail(problem.address, problem.problem);
      else out.checked(`client ${client}`);
    }
    if (resourcesOf(json, "aws_api_gateway_api_key").length > 0) {
      const why = "callers' x-api-key headers would choose the usage plan";
      for (const api of resourcesOf(json, "aws_api_gateway_rest_api")) {
        out.expect(api.address, api.body.api_key_source === "AUTHORIZER", `has API keys but api_key_source is ${JSON.stringify(api.body.api_key_source ?? "HEADER")}, not AUTHORIZER: ${why}`);
      }
      // The document put in overwrite mode sets the key source too: it must say the same.
      for (const definition of apiDefinitionsOf(json)) {
        const source = "document" in definition ? definition.document["x-amazon-apigateway-api-key-source"] : undefined;
        out.expect(definition.address, source === "AUTHORIZER", `puts a document whose x-amazon-apigateway-api-key-source is ${JSON.stringify(source ?? "HEADER")}, not AUTHORIZER: ${why}`);
      }
    }
    return out.outcome();
  },
};

/** M2M-USG-002: no output or function environment carries an API key's value. */
export const apiKeyValuesRule: SecurityRule = {
  id: "M2M-USG-002",
  rationale: "No output or Lambda environment reads an API key's value: usage keys stay in state, never in plan or CI logs",
  resourceTypes: ["output", "aws_lambda_function"],
  check({ json }) {
    const out = new OutcomeRecorder();
    for (const [name, output] of Object.entries(json.output ?? {})) {
      const reads = referencedAddresses(output?.value, "aws_api_gateway_api_key", ["value"]);
      out.expect(`output.${name}`, reads.length === 0, `reads the value of ${reads.join(", ")}`);
    }
    for (const fn of resourcesOf(json, "aws_lambda_function")) {
      const reads = referencedAddresses(fn.body.environment, "aws_api_gateway_api_key", ["value"]);
      out.expect(fn.address, reads.length === 0, `has the value of ${reads.join(", ")} in its environment`);
    }
    return out.outcome();
  },
};
