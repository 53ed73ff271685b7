/**
 * An AWS WAF web ACL on the user pool, i.e. on its token endpoint: a per-source-IP rate limit
 * on `/oauth2/token`, sized from Cognito's client-credentials quota (model/aws-limits.ts,
 * TOKEN_ENDPOINT_RATE: a tenth of 150 requests/s over WAF's 5-minute window = 4,500), so one
 * address (a leaked secret used in a loop, a caller that does not cache tokens) cannot exhaust
 * the account's quota, and Cognito's bill, for every other client. Logged like the API's ACL.
 */
import type { CognitoUserPool } from "@cdktn/provider-aws/lib/cognito-user-pool";
import { Wafv2WebAcl } from "@cdktn/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktn/provider-aws/lib/wafv2-web-acl-association";
import { Construct } from "constructs";
import { named } from "./terraform-names";
import { WafLogging } from "./waf-logging";

export interface UserPoolWafProps {
  readonly namePrefix: string;
  readonly userPool: CognitoUserPool;
  readonly rateLimitPer5Minutes: number;
  readonly logRetentionDays: number;
}

export class UserPoolWaf extends Construct {
  readonly webAcl: Wafv2WebAcl;

  constructor(scope: Construct, id: string, props: UserPoolWafProps) {
    super(scope, id);
    const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });
    this.webAcl = named(
      new Wafv2WebAcl(this, "web-acl", {
        name: `${props.namePrefix}-user-pool`,
        scope: "REGIONAL",
        defaultAction: { allow: {} },
        rule: [
          {
            name: "token-endpoint-rate-limit-per-source-ip",
            priority: 1,
            action: { block: {} },
            // `statement` is untyped in the provider bindings: Terraform's own (snake_case) keys.
            statement: {
              rate_based_statement: {
                limit: props.rateLimitPer5Minutes,
                aggregate_key_type: "IP",
                scope_down_statement: {
                  byte_match_statement: {
                    search_string: "/oauth2/token",
                    positional_constraint: "STARTS_WITH",
                    field_to_match: { uri_path: {} },
                    text_transformation: [{ priority: 0, type: "NONE" }],
                  },
                },
              },
            },
            visibilityConfig: visibility(`${props.namePrefix}-token-rate-limit`),
          },
        ],
        visibilityConfig: visibility(`${props.namePrefix}-user-pool`),
      }),
      "user_pool",
    );
    named(new Wafv2WebAclAssociation(this, "association", { resourceArn: props.userPool.arn, webAclArn: this.webAcl.arn }), "user_pool");
    new WafLogging(this, "logging", { name: `${props.namePrefix}-user-pool`, webAclArn: this.webAcl.arn, retentionInDays: props.logRetentionDays, terraformName: "user_pool_waf" });
  }
}
