/**
 * JSON access logs for the stage: who called (client id from either authorizer), what, with
 * which result and latency. Never the token: API Gateway logs only the fields named here.
 * Optionally manages the account-level CloudWatch role API Gateway needs to write logs.
 */
import { ApiGatewayAccount } from "@cdktf/provider-aws/lib/api-gateway-account";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { TerraformResource } from "cdktf";
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

/**
 * Terraform names of the account-wide logging setup. A stack that does not manage it declares
 * them `removed` (destroy = false): a stack that managed it before then forgets it instead of
 * destroying it, which in provider 6 would reset the account's role (no `reset_on_delete` any
 * more) and break logging of every REST API in the account and region.
 */
export const ACCOUNT_ROLE_NAMES = { account: "account", role: "api_gateway_cloudwatch", policyAttachment: "api_gateway_cloudwatch" } as const;

export const ACCOUNT_ROLE_ADDRESSES = [
  `aws_api_gateway_account.${ACCOUNT_ROLE_NAMES.account}`,
  `aws_iam_role.${ACCOUNT_ROLE_NAMES.role}`,
  `aws_iam_role_policy_attachment.${ACCOUNT_ROLE_NAMES.policyAttachment}`,
] as const;

export interface ApiAccessLogsProps {
  readonly namePrefix: string;
  readonly restApiId: string;
  readonly stageName: string;
  readonly retentionInDays: number;
  readonly manageAccountRole: boolean;
}

export class ApiAccessLogs extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  /**
   * The group API Gateway writes execution logs to. Declared here, with retention, before
   * logging is switched on: otherwise API Gateway creates it itself, unmanaged and kept forever.
   */
  readonly executionLogGroup: CloudwatchLogGroup;
  /** What the stage must wait for: the account's logging role, when managed here. */
  readonly prerequisites: TerraformResource[] = [];

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
    if (props.manageAccountRole) {
      // Shared by every API in the account and region: never destroyed by a plan of this stack.
      // To hand it over, turn manageAccountRole off (the stack then forgets it: see README).
      const lifecycle = { preventDestroy: true };
      const role = named(
        new IamRole(this, "account-role", {
          name: `${props.namePrefix}-apigw-cloudwatch`,
          lifecycle,
          assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "apigateway.amazonaws.com" }, Action: "sts:AssumeRole" }],
          }),
        }),
        ACCOUNT_ROLE_NAMES.role,
      );
      const attachment = named(
        new IamRolePolicyAttachment(this, "account-role-policy", {
          role: role.name,
          policyArn: "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
          lifecycle,
        }),
        ACCOUNT_ROLE_NAMES.policyAttachment,
      );
      const account = named(
        new ApiGatewayAccount(this, "account", { cloudwatchRoleArn: role.arn, dependsOn: [attachment], lifecycle }),
        ACCOUNT_ROLE_NAMES.account,
      );
      this.prerequisites.push(account);
    }
  }

  get stageSettings() {
    return { accessLogSettings: { destinationArn: this.logGroup.arn, format: ACCESS_LOG_FORMAT } };
  }
}
