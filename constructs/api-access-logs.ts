/**
 * JSON access logs for the stage: who called (client id from either authorizer), what, with
 * which result and latency. Never the token: API Gateway logs only the fields named here.
 * They need the account-level CloudWatch role (api-gateway-account-role.ts, or made outside).
 */
import { CloudwatchLogGroup } from "@cdktn/provider-aws/lib/cloudwatch-log-group";
import type { TerraformResource } from "cdktn";
import { Construct } from "constructs";
import { named } from "./terraform-names";

/**
 * One JSON object per request. Cognito-authorized calls carry the token's claims, scope-checker
 * calls its context: one field each, since API Gateway writes "-" for whichever is unset.
 */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  requestTime: "$context.requestTimeEpoch",
  sourceIp: "$context.identity.sourceIp",
  cognitoClientId: "$context.authorizer.claims.client_id",
  authorizerClientId: "$context.authorizer.clientId",
  httpMethod: "$context.httpMethod",
  resourcePath: "$context.resourcePath",
  status: "$context.status",
  responseLatencyMs: "$context.responseLatency",
  authorizerError: "$context.authorizer.error",
  errorMessage: "$context.error.message",
});

export interface ApiAccessLogsProps {
  readonly namePrefix: string;
  readonly restApiId: string;
  readonly stageName: string;
  readonly retentionInDays: number;
  /** The account's logging role setting, when this stack manages it: logging waits for it. */
  readonly accountSetting?: TerraformResource;
}

export class ApiAccessLogs extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  /**
   * The group API Gateway writes execution logs to. Declared here, with retention, before
   * logging is switched on: otherwise API Gateway creates it itself, unmanaged and kept forever.
   */
  readonly executionLogGroup: CloudwatchLogGroup;
  /** What the stage must wait for: the account's logging role, when managed here. */
  readonly prerequisites: TerraformResource[];

  constructor(scope: Construct, id: string, props: ApiAccessLogsProps) {
    super(scope, id);
    this.logGroup = named(
      new CloudwatchLogGroup(this, "log-group", {
        name: `/aws/apigateway/${props.namePrefix}/access`,
        retentionInDays: props.retentionInDays,
      }),
      "access_logs",
    );
    this.executionLogGroup = named(
      new CloudwatchLogGroup(this, "execution-log-group", {
        name: `API-Gateway-Execution-Logs_${props.restApiId}/${props.stageName}`,
        retentionInDays: props.retentionInDays,
      }),
      "execution_logs",
    );
    this.prerequisites = props.accountSetting ? [props.accountSetting] : [];
  }

  get stageSettings() {
    return { accessLogSettings: { destinationArn: this.logGroup.arn, format: ACCESS_LOG_FORMAT } };
  }
}
