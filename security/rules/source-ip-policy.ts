/** M2M-API-007: a REST API resource policy denies every source outside the allow-list. */
import { UnreadablePolicyError, policyStatements, type PolicyStatement } from "../policy-document";
import { referencedAddresses } from "../references";
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { resourcesOf } from "../terraform-json";

const INVOKE = ["execute-api:Invoke", "execute-api:*", "*"];

function deniesOtherSources(statement: PolicyStatement): boolean {
  return (
    statement.effect === "Deny" &&
    statement.actions.some((a) => INVOKE.includes(a)) &&
    statement.conditions.some((c) => c.test === "NotIpAddress" && c.variable.toLowerCase() === "aws:sourceip" && c.values.length > 0)
  );
}

export const sourceIpPolicyRule: SecurityRule = {
  id: "M2M-API-007",
  rationale: "A source-IP resource policy must Deny execute-api:Invoke outside the allowed CIDRs, and Allow no more than Invoke",
  resourceTypes: ["aws_api_gateway_rest_api_policy", "aws_api_gateway_rest_api"],
  check({ json }) {
    const out = new OutcomeRecorder();
    for (const policy of resourcesOf(json, "aws_api_gateway_rest_api_policy")) {
      if (referencedAddresses(policy.body.rest_api_id, "aws_api_gateway_rest_api", ["id"]).length !== 1) {
        out.fail(policy.address, "rest_api_id is not a REST API of this stack");
        continue;
      }
      let statements: PolicyStatement[];
      try {
        statements = policyStatements(json, policy.body.policy);
      } catch (error) {
        if (!(error instanceof UnreadablePolicyError)) throw error;
        out.fail(policy.address, error.message);
        continue;
      }
      const broadAllow = statements.find((s) => s.effect === "Allow" && (s.notActions.length > 0 || s.actions.some((a) => a !== "execute-api:Invoke")));
      if (broadAllow) out.fail(policy.address, `allows ${JSON.stringify(broadAllow.actions.length ? broadAllow.actions : { NotAction: broadAllow.notActions })}, more than execute-api:Invoke`);
      else out.expect(policy.address, statements.some(deniesOtherSources), "has no Deny of execute-api:Invoke with a NotIpAddress aws:SourceIp condition");
    }
    return out.outcome();
  },
};
