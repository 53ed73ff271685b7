/** M2M-SEC-002: secret values flow only into Secrets Manager. */
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { secretReadsIn } from "../secret-references";
import { resourcesOf } from "../terraform-json";

/** A cut-off client's secret holds a literal marker and no credentials: `{"disabled": true, ...}`. */
function isDisabledMarker(value: string): boolean {
  try {
    const parsed = JSON.parse(value) as Record<string, unknown>;
    return parsed.disabled === true && !("clientSecret" in parsed) && !("clientId" in parsed);
  } catch {
    return false;
  }
}

export const secretsConfinedRule: SecurityRule = {
  id: "M2M-SEC-002",
  rationale: "Client secrets are copied only into Secrets Manager secret versions (never into env vars, tags or other resources), and no secret is a literal",
  resourceTypes: ["*"],
  check({ json }) {
    const out = new OutcomeRecorder();
    for (const resource of resourcesOf(json)) {
      if (resource.type === "aws_secretsmanager_secret_version") {
        const { secret_string: value, ...rest } = resource.body;
        const elsewhere = secretReadsIn(rest);
        if (typeof value === "string" && !value.includes("${") && !isDisabledMarker(value)) out.fail(resource.address, "secret_string is a literal: the secret is in the source and the synthesized JSON");
        else out.expect(resource.address, elsewhere.length === 0, `reads ${elsewhere.join(", ")} outside secret_string`);
        continue;
      }
      const reads = secretReadsIn(resource.body);
      out.expect(resource.address, reads.length === 0, `reads ${reads.join(", ")}; secrets belong only in Secrets Manager`);
    }
    return out.outcome();
  },
};
