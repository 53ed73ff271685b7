/** M2M-SEC-003: in production, a deleted client secret can be restored. */
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { resourcesOf } from "../terraform-json";

export const secretRecoveryWindowRule: SecurityRule = {
  id: "M2M-SEC-003",
  rationale: "In production, Secrets Manager secrets keep a recovery window (7 to 30 days): a secret deleted by mistake can be restored; development may delete at once to allow re-creation",
  resourceTypes: ["aws_secretsmanager_secret"],
  check({ json, metadata }) {
    const out = new OutcomeRecorder();
    for (const secret of resourcesOf(json, "aws_secretsmanager_secret")) {
      if (!metadata.production) {
        out.checked(secret.address);
        continue;
      }
      // Secrets Manager's default window (the argument unset) is 30 days.
      const days = secret.body.recovery_window_in_days ?? 30;
      out.expect(secret.address, typeof days === "number" && days >= 7 && days <= 30, `recovery_window_in_days is ${JSON.stringify(days)} in production environment ${metadata.environmentName} (a deleted secret could not be restored)`);
    }
    return out.outcome();
  },
};
