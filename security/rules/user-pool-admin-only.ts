/** M2M-COG-004: nobody signs up to or recovers an account in the machine user pool. */
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { blockOf, blocksOf, resourcesOf } from "../terraform-json";

function adminOnlyProblem(pool: Record<string, any>): string | undefined {
  if (blockOf(pool.admin_create_user_config)?.allow_admin_create_user_only !== true) {
    return "admin_create_user_config.allow_admin_create_user_only is not true (anyone could sign up)";
  }
  const mechanisms = blocksOf(blockOf(pool.account_recovery_setting)?.recovery_mechanism).map((m) => m.name);
  if (mechanisms.length === 0 || mechanisms.some((m) => m !== "admin_only")) {
    return `account_recovery_setting is ${JSON.stringify(mechanisms)}, not admin_only`;
  }
  return undefined;
}

export const userPoolAdminOnlyRule: SecurityRule = {
  id: "M2M-COG-004",
  rationale: "The user pool only issues machine tokens: admin-only user creation and admin-only account recovery",
  resourceTypes: ["aws_cognito_user_pool"],
  check({ json }) {
    const out = new OutcomeRecorder();
    for (const pool of resourcesOf(json, "aws_cognito_user_pool")) {
      const problem = adminOnlyProblem(pool.body);
      out.expect(pool.address, problem === undefined, problem ?? "");
    }
    return out.outcome();
  },
};
