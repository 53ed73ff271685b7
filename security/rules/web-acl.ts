/** M2M-API-006: a WAF web ACL rate-limits per source IP and is attached to a stage or the user pool of the stack. */
import { exactReference } from "../references";
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { blockOf, blocksOf, findByAddress, resourcesOf } from "../terraform-json";

function hasBlockingRateRule(acl: Record<string, any>): boolean {
  return blocksOf(acl.rule).some((rule) => {
    const statement = blockOf(rule.statement);
    const rate = blockOf(statement?.rate_based_statement);
    return typeof rate?.limit === "number" && rate.limit > 0 && blockOf(rule.action)?.block !== undefined;
  });
}

export const webAclRule: SecurityRule = {
  id: "M2M-API-006",
  rationale: "A web ACL blocks sources exceeding a rate and is associated with a stage of this API or its user pool (the token endpoint); an unattached or rule-less ACL protects nothing",
  resourceTypes: ["aws_wafv2_web_acl", "aws_wafv2_web_acl_association"],
  check({ json }) {
    const out = new OutcomeRecorder();
    const associations = resourcesOf(json, "aws_wafv2_web_acl_association");
    for (const association of associations) {
      const target = exactReference(association.body.resource_arn);
      const acl = exactReference(association.body.web_acl_arn);
      const protectable = target && (target.address.startsWith("aws_api_gateway_stage.") || target.address.startsWith("aws_cognito_user_pool."));
      if (!target || !protectable || target.attribute !== "arn" || !findByAddress(json, target.address)) {
        out.fail(association.address, `resource_arn ${JSON.stringify(association.body.resource_arn ?? null)} is not the arn of a stage or user pool of this stack`);
      } else if (!acl || !acl.address.startsWith("aws_wafv2_web_acl.") || !findByAddress(json, acl.address)) {
        out.fail(association.address, `web_acl_arn ${JSON.stringify(association.body.web_acl_arn ?? null)} is not a web ACL of this stack`);
      } else {
        out.checked(association.address);
      }
    }
    for (const acl of resourcesOf(json, "aws_wafv2_web_acl")) {
      if (acl.body.scope !== "REGIONAL") out.fail(acl.address, `scope is ${JSON.stringify(acl.body.scope ?? null)}; a REST API stage and a user pool need REGIONAL`);
      else if (!hasBlockingRateRule(acl.body)) out.fail(acl.address, "has no rule with a rate_based_statement and a block action");
      else if (!associations.some((a) => exactReference(a.body.web_acl_arn)?.address === acl.address)) out.fail(acl.address, "is not associated with any stage or user pool");
      else out.checked(acl.address);
    }
    return out.outcome();
  },
};
