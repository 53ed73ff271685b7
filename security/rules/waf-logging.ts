/**
 * M2M-WAF-001: every web ACL logs to a CloudWatch log group of the stack (named
 * `aws-waf-logs-*`, as WAF requires) with the `authorization` header redacted: the token
 * endpoint receives client secrets in it (HTTP Basic), the API bearer tokens.
 */
import { exactReference } from "../references";
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { blocksOf, blockOf, findByAddress, resourcesOf } from "../terraform-json";

export const wafLoggingRule: SecurityRule = {
  id: "M2M-WAF-001",
  rationale: "Each web ACL logs to an aws-waf-logs-* log group of the stack with the Authorization header redacted, so blocked and allowed sources can be investigated without copying credentials",
  resourceTypes: ["aws_wafv2_web_acl", "aws_wafv2_web_acl_logging_configuration"],
  check({ json }) {
    const out = new OutcomeRecorder();
    const configs = resourcesOf(json, "aws_wafv2_web_acl_logging_configuration");
    for (const config of configs) {
      const destinations = Array.isArray(config.body.log_destination_configs) ? (config.body.log_destination_configs as unknown[]) : [];
      const groups = destinations.map((d) => exactReference(d)).map((r) => (r && r.address.startsWith("aws_cloudwatch_log_group.") ? findByAddress(json, r.address) : undefined));
      const redacted = blocksOf(config.body.redacted_fields).map((f) => String(blockOf(f.single_header)?.name ?? "").toLowerCase());
      if (groups.length === 0 || groups.some((g) => !g)) out.fail(config.address, "log_destination_configs is not a log group of this stack");
      else if (groups.some((g) => typeof g!.body.name !== "string" || !(g!.body.name as string).startsWith("aws-waf-logs-"))) out.fail(config.address, "its log group's name does not start with aws-waf-logs- (WAF refuses it)");
      else out.expect(config.address, redacted.includes("authorization"), "does not redact the authorization header: client secrets and tokens would be logged");
    }
    for (const acl of resourcesOf(json, "aws_wafv2_web_acl")) {
      out.expect(acl.address, configs.some((c) => exactReference(c.body.resource_arn)?.address === acl.address), "has no logging configuration");
    }
    return out.outcome();
  },
};
