/** M2M-API-007: a REST API resource policy denies every source outside the allow-list. */
import { UnreadablePolicyError, policyStatements, type PolicyStatement } from "../policy-document";
import { apiDefinitionsOf } from "../api-definitions";
import { referencedAddresses } from "../references";
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { resourcesOf, type TerraformJson } from "../terraform-json";

const INVOKE = ["execute-api:Invoke", "execute-api:*", "*"];

function deniesOtherSources(statement: PolicyStatement): boolean {
  return (
    statement.effect === "Deny" &&
    statement.actions.some((a) => INVOKE.includes(a)) &&
    statement.conditions.some((c) => c.test === "NotIpAddress" && c.variable.toLowerCase() === "aws:sourceip" && c.values.length > 0)
  );
}

/** The problem with a resource policy's statements, if any. */
function policyProblem(json: TerraformJson, policy: unknown): string | undefined {
  let statements: PolicyStatement[];
  try {
    statements = policyStatements(json, policy);
  } catch (error) {
    if (!(error instanceof UnreadablePolicyError)) throw error;
    return error.message;
  }
  const broadAllow = statements.find((s) => s.effect === "Allow" && (s.notActions.length > 0 || s.actions.some((a) => a !== "execute-api:Invoke")));
  if (broadAllow) return `allows ${JSON.stringify(broadAllow.actions.length ? broadAllow.actions : { NotAction: broadAllow.notActions })}, more than execute-api:Invoke`;
  return statements.some(deniesOtherSources) ? undefined : "has no Deny of execute-api:Invoke with a NotIpAddress aws:SourceIp condition";
}

export const sourceIpPolicyRule: SecurityRule = {
  id: "M2M-API-007",
  rationale: "A source-IP resource policy must Deny execute-api:Invoke outside the allowed CIDRs, and Allow no more than Invoke",
  resourceTypes: ["aws_api_gateway_rest_api_put", "aws_api_gateway_rest_api_policy", "aws_api_gateway_rest_api"],
  check({ json }) {
    const out = new OutcomeRecorder();
    // The policy inside the API's OpenAPI document (x-amazon-apigateway-policy), where this project puts it.
    for (const definition of apiDefinitionsOf(json)) {
      if ("unreadable" in definition) continue; // M2M-API-001 fails it
      const policy = definition.document["x-amazon-apigateway-policy"];
      if (policy === undefined) continue;
      const problem = policyProblem(json, JSON.stringify(policy));
      out.expect(definition.address, problem === undefined, `x-amazon-apigateway-policy ${problem}`);
    }
    for (const policy of resourcesOf(json, "aws_api_gateway_rest_api_policy")) {
      if (referencedAddresses(policy.body.rest_api_id, "aws_api_gateway_rest_api", ["id"]).length !== 1) {
        out.fail(policy.address, "rest_api_id is not a REST API of this stack");
        continue;
      }
      const problem = policyProblem(json, policy.body.policy);
      out.expect(policy.address, problem === undefined, problem ?? "");
    }
    return out.outcome();
  },
};
