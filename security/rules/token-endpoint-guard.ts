/**
 * M2M-WAF-002: when the API has a web ACL, the token endpoint has one too: the user pool is
 * associated with a web ACL whose rate rule is scoped to `/oauth2/token`, and the stage's ACL
 * runs AWS's known-bad-inputs rule group. A guarded API behind an unguarded token endpoint
 * still lets one source exhaust the account's client-credentials quota (and bill).
 */
import { exactReference } from "../references";
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { blockOf, blocksOf, findByAddress, resourcesOf, type TerraformResource } from "../terraform-json";

const KNOWN_BAD_INPUTS = "AWSManagedRulesKnownBadInputsRuleSet";

function tokenRateRule(acl: TerraformResource): boolean {
  return blocksOf(acl.body.rule).some((rule) => {
    const rate = blockOf(blockOf(rule.statement)?.rate_based_statement);
    const match = blockOf(blockOf(rate?.scope_down_statement)?.byte_match_statement);
    return typeof rate?.limit === "number" && blockOf(rule.action)?.block !== undefined && match?.search_string === "/oauth2/token" && blockOf(match.field_to_match)?.uri_path !== undefined;
  });
}

function hasKnownBadInputs(acl: TerraformResource): boolean {
  return blocksOf(acl.body.rule).some((rule) => {
    const group = blockOf(blockOf(rule.statement)?.managed_rule_group_statement);
    return group?.vendor_name === "AWS" && group.name === KNOWN_BAD_INPUTS && blockOf(rule.override_action)?.count === undefined;
  });
}

export const tokenEndpointGuardRule: SecurityRule = {
  id: "M2M-WAF-002",
  rationale: "A stack whose stage has a web ACL also guards its token endpoint (a user-pool web ACL rate-limiting /oauth2/token per IP), and the stage's ACL blocks known bad inputs",
  resourceTypes: ["aws_wafv2_web_acl_association", "aws_wafv2_web_acl"],
  check({ json }) {
    const out = new OutcomeRecorder();
    const associations = resourcesOf(json, "aws_wafv2_web_acl_association").map((a) => ({ a, target: exactReference(a.body.resource_arn), acl: exactReference(a.body.web_acl_arn) }));
    const stageAcls = associations.filter((x) => x.target?.address.startsWith("aws_api_gateway_stage.")).map((x) => (x.acl ? findByAddress(json, x.acl.address) : undefined));
    if (stageAcls.length === 0) return out.outcome();
    for (const acl of stageAcls) {
      if (acl) out.expect(acl.address, hasKnownBadInputs(acl), `does not run the AWS managed rule group ${KNOWN_BAD_INPUTS} (in block mode)`);
    }
    for (const pool of resourcesOf(json, "aws_cognito_user_pool")) {
      const guard = associations.find((x) => x.target?.address === pool.address);
      const acl = guard?.acl ? findByAddress(json, guard.acl.address) : undefined;
      if (!acl) out.fail(pool.address, "has no web ACL while the stage has one: the token endpoint is unguarded");
      else out.expect(pool.address, tokenRateRule(acl), `its web ACL ${acl.address} has no blocking rate rule scoped to /oauth2/token`);
    }
    return out.outcome();
  },
};
