/**
 * An AWS WAF web ACL on the stage: AWS's managed rule group for known bad inputs (request
 * patterns of known exploits, e.g. Log4j lookups, Java deserialization, localhost Host headers),
 * then a per-source-IP rate limit; logged with the Authorization header redacted.
 */
import type { ApiGatewayStage } from "@cdktn/provider-aws/lib/api-gateway-stage";
import { Wafv2WebAcl } from "@cdktn/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktn/provider-aws/lib/wafv2-web-acl-association";
import { Construct } from "constructs";
import { named } from "./terraform-names";
import { WafLogging } from "./waf-logging";

export interface ApiWafProps {
  readonly namePrefix: string;
  readonly stage: ApiGatewayStage;
  readonly rateLimitPer5Minutes: number;
  readonly logRetentionDays: number;
}

export class ApiWaf extends Construct {
  readonly webAcl: Wafv2WebAcl;

  constructor(scope: Construct, id: string, props: ApiWafProps) {
    super(scope, id);
    const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
    this.webAcl = named(
      new Wafv2WebAcl(this, "web-acl", {
        name: `${props.namePrefix}-api`,
        scope: "REGIONAL",
        defaultAction: { allow: {} },
        rule: [
          {
            name: "aws-known-bad-inputs",
            priority: 0,
            // A managed rule group's own actions apply (block); `none` means "do not override them".
            overrideAction: { none: {} },
            statement: { managed_rule_group_statement: { vendor_name: "AWS", name: "AWSManagedRulesKnownBadInputsRuleSet" } },
            visibilityConfig: visibility(`${props.namePrefix}-known-bad-inputs`),
          },
          {
            name: "rate-limit-per-source-ip",
            priority: 1,
            action: { block: {} },
            // `statement` is untyped in the provider bindings: Terraform's own (snake_case) keys.
            statement: { rate_based_statement: { limit: props.rateLimitPer5Minutes, aggregate_key_type: "IP" } },
            visibilityConfig: visibility(`${props.namePrefix}-rate-limit`),
          },
        ],
        visibilityConfig: visibility(`${props.namePrefix}-api`),
      }),
      "api",
    );
    named(new Wafv2WebAclAssociation(this, "association", { resourceArn: props.stage.arn, webAclArn: this.webAcl.arn }), "api");
    new WafLogging(this, "logging", { name: `${props.namePrefix}-api`, webAclArn: this.webAcl.arn, retentionInDays: props.logRetentionDays, terraformName: "api_waf" });
  }
}
