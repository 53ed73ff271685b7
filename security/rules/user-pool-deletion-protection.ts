/** M2M-COG-005: a production user pool cannot be deleted by accident. */
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { blockOf, resourcesOf } from "../terraform-json";

export const userPoolDeletionProtectionRule: SecurityRule = {
  id: "M2M-COG-005",
  rationale: "In production, deleting the user pool deletes every client id and secret: deletion_protection ACTIVE and lifecycle prevent_destroy",
  resourceTypes: ["aws_cognito_user_pool"],
  check({ json, metadata }) {
    const out = new OutcomeRecorder();
    for (const pool of resourcesOf(json, "aws_cognito_user_pool")) {
      if (!metadata.production) {
        out.checked(pool.address); // development pools may be thrown away
        continue;
      }
      const problem =
        pool.body.deletion_protection !== "ACTIVE" ? `deletion_protection is ${JSON.stringify(pool.body.deletion_protection ?? null)} in production environment ${metadata.environmentName}`
        : blockOf(pool.body.lifecycle)?.prevent_destroy !== true ? `lifecycle.prevent_destroy is not true in production environment ${metadata.environmentName}`
        : undefined;
      out.expect(pool.address, problem === undefined, problem ?? "");
    }
    return out.outcome();
  },
};
