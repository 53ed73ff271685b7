/** M2M-IAM-003: the only managed policy attached is API Gateway's logging policy, to its own role. */
import { referencedAddresses } from "../references";
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { roleServices } from "../role-usage";
import { resourcesOf } from "../terraform-json";

const API_GATEWAY_LOGGING_POLICY = /^arn:(aws|aws-cn|aws-us-gov|\$\{[^}]+\}):iam::aws:policy\/service-role\/AmazonAPIGatewayPushToCloudWatchLogs$/;

export const managedPolicyAttachmentsRule: SecurityRule = {
  id: "M2M-IAM-003",
  rationale: "Managed policies are broad: only AmazonAPIGatewayPushToCloudWatchLogs, on the API Gateway account role; never aws_iam_policy_attachment (exclusive, account-wide)",
  resourceTypes: ["aws_iam_role_policy_attachment", "aws_iam_policy_attachment"],
  check({ json }) {
    const out = new OutcomeRecorder();
    const services = roleServices(json);
    for (const attachment of resourcesOf(json, "aws_iam_role_policy_attachment")) {
      const roles = referencedAddresses(attachment.body.role, "aws_iam_role", ["id", "name"]);
      const apiGatewayRole = roles.length === 1 && services.get(roles[0])?.has("apigateway.amazonaws.com") === true;
      const policyArn = attachment.body.policy_arn;
      out.expect(
        attachment.address,
        apiGatewayRole && typeof policyArn === "string" && API_GATEWAY_LOGGING_POLICY.test(policyArn),
        `attaches ${JSON.stringify(policyArn ?? null)} to ${roles.join(", ") || JSON.stringify(attachment.body.role ?? null)}`,
      );
    }
    for (const attachment of resourcesOf(json, "aws_iam_policy_attachment")) {
      out.fail(attachment.address, "is an aws_iam_policy_attachment: it takes over every attachment of the policy in the account");
    }
    return out.outcome();
  },
};
