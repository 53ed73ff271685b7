/** An AWS WAF web ACL on the stage: blocks a source IP that exceeds a request rate. */
import type { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Construct } from "constructs";
import { named } from "./terraform-names";

export interface ApiWafProps {
  readonly namePrefix: string;
  readonly stage: ApiGatewayStage;
  readonly rateLimitPer5Minutes: number;
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
  }
}
