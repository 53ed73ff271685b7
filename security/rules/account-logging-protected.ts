/** M2M-API-009: the account-wide API Gateway logging setup cannot be destroyed by a plan of this stack. */
import { referencedAddresses } from "../references";
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { blockOf, findByAddress, resourcesOf } from "../terraform-json";

export const accountLoggingProtectedRule: SecurityRule = {
  id: "M2M-API-009",
  rationale: "aws_api_gateway_account, its CloudWatch role and the role's policy attachment have prevent_destroy: destroying them resets logging for every API in the account and region",
  resourceTypes: ["aws_api_gateway_account", "aws_iam_role", "aws_iam_role_policy_attachment"],
  check({ json }) {
    const out = new OutcomeRecorder();
    const protectedOrFail = (address: string, body: Record<string, unknown>, what: string) =>
      out.expect(address, blockOf(body.lifecycle)?.prevent_destroy === true, `${what} has no lifecycle.prevent_destroy`);
    for (const account of resourcesOf(json, "aws_api_gateway_account")) {
      protectedOrFail(account.address, account.body, "the account-wide logging setting");
      for (const roleAddress of referencedAddresses(account.body.cloudwatch_role_arn, "aws_iam_role", ["arn"])) {
        const role = findByAddress(json, roleAddress);
        if (!role) continue;
        protectedOrFail(role.address, role.body, `the role ${account.address} logs with`);
        for (const attachment of resourcesOf(json, "aws_iam_role_policy_attachment")) {
          if (referencedAddresses(attachment.body.role, "aws_iam_role").includes(roleAddress)) protectedOrFail(attachment.address, attachment.body, `the policy attachment of ${roleAddress}`);
        }
      }
    }
    return out.outcome();
  },
};
