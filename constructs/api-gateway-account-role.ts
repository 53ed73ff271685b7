/**
 * The account-level CloudWatch role API Gateway writes execution and access logs with: one
 * setting per account and region, shared by every REST API there, owned by the one environment
 * whose `accessLogs.manageAccountRole` is on (whether or not that environment's own logs are).
 * Provider 6 resets the account's role when `aws_api_gateway_account` is destroyed (it has no
 * `reset_on_delete` any more), which would stop logging for every API in the account and region:
 * so no plan may destroy these resources, and stacks that do not own them forget them instead.
 */
import { ApiGatewayAccount } from "@cdktn/provider-aws/lib/api-gateway-account";
import { IamRole } from "@cdktn/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktn/provider-aws/lib/iam-role-policy-attachment";
import { Construct } from "constructs";
import { named } from "./terraform-names";

export const ACCOUNT_ROLE_NAMES = { account: "account", role: "api_gateway_cloudwatch", policyAttachment: "api_gateway_cloudwatch" } as const;

/**
 * Their Terraform addresses. A stack that does not own the role declares them `removed`
 * (destroy = false): if it owned them before, Terraform forgets them and leaves them working.
 */
export const ACCOUNT_ROLE_ADDRESSES = [
  `aws_api_gateway_account.${ACCOUNT_ROLE_NAMES.account}`,
  `aws_iam_role.${ACCOUNT_ROLE_NAMES.role}`,
  `aws_iam_role_policy_attachment.${ACCOUNT_ROLE_NAMES.policyAttachment}`,
] as const;

export class ApiGatewayAccountRole extends Construct {
  /** The account setting: what a stage with logging must wait for. */
  readonly account: ApiGatewayAccount;

  constructor(scope: Construct, id: string, props: { readonly namePrefix: string }) {
    super(scope, id);
    // To hand the role over, turn manageAccountRole off: the stack then forgets it (README, "Lifecycle").
    const lifecycle = { preventDestroy: true };
    const role = named(
      new IamRole(this, "role", {
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
      new IamRolePolicyAttachment(this, "policy", {
        role: role.name,
        policyArn: "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
        lifecycle,
      }),
      ACCOUNT_ROLE_NAMES.policyAttachment,
    );
    this.account = named(
      new ApiGatewayAccount(this, "account", { cloudwatchRoleArn: role.arn, dependsOn: [attachment], lifecycle }),
      ACCOUNT_ROLE_NAMES.account,
    );
  }
}
