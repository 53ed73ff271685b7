/**
 * Logging of one web ACL to a CloudWatch log group (WAF requires the name to start with
 * `aws-waf-logs-`), with retention, and the `authorization` header redacted: it carries the
 * client id and secret on the token endpoint (HTTP Basic) and bearer tokens on the API. WAF can
 * redact a single header, the method, the query string or the URI path, never the body; it
 * does not log request bodies at all, so a secret sent as `client_secret` in the form body
 * (client_secret_post) never reaches these logs either. What is left (source IP, path, rule,
 * action, other headers) is what investigating a leaked secret used from many addresses needs.
 * WAF adds the log group's resource policy for log delivery itself.
 */
import { CloudwatchLogGroup } from "@cdktn/provider-aws/lib/cloudwatch-log-group";
import { Wafv2WebAclLoggingConfiguration } from "@cdktn/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { Construct } from "constructs";
import { named } from "./terraform-names";

export interface WafLoggingProps {
  /** Suffix after `aws-waf-logs-`, e.g. `<api>-<env>-api`. */
  readonly name: string;
  readonly webAclArn: string;
  readonly retentionInDays: number;
  /** Terraform name of the log group and the configuration. */
  readonly terraformName: string;
}

/** Headers never written to WAF logs. */
const WAF_REDACTED_HEADERS = ["authorization"] as const;

export class WafLogging extends Construct {
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: WafLoggingProps) {
    super(scope, id);
    this.logGroup = named(new CloudwatchLogGroup(this, "log-group", { name: `aws-waf-logs-${props.name}`, retentionInDays: props.retentionInDays }), props.terraformName);
    named(
      new Wafv2WebAclLoggingConfiguration(this, "logging", {
        resourceArn: props.webAclArn,
        logDestinationConfigs: [this.logGroup.arn],
        redactedFields: WAF_REDACTED_HEADERS.map((name) => ({ singleHeader: { name } })),
      }),
      props.terraformName,
    );
  }
}
