/** M2M-COG-002: confidential clients, revocable, that do not reveal which users exist. */
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { resourcesOf } from "../terraform-json";

export const clientSecretSettingsRule: SecurityRule = {
  id: "M2M-COG-002",
  rationale: "App clients have a secret (client credentials needs one), enable token revocation and prevent user-existence errors",
  resourceTypes: ["aws_cognito_user_pool_client"],
  check({ json }) {
    const out = new OutcomeRecorder();
    for (const client of resourcesOf(json, "aws_cognito_user_pool_client")) {
      const b = client.body;
      const problem =
        b.generate_secret !== true ? "generate_secret is not true"
        : b.enable_token_revocation !== true ? "enable_token_revocation is not true"
        : b.prevent_user_existence_errors !== "ENABLED" ? `prevent_user_existence_errors is ${JSON.stringify(b.prevent_user_existence_errors ?? null)}, not "ENABLED"`
        : undefined;
      out.expect(client.address, problem === undefined, problem ?? "");
    }
    return out.outcome();
  },
};
