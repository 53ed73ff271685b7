/** M2M-SEC-001: an output that carries a secret is sensitive. */
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { secretReadsIn } from "../secret-references";

export const sensitiveOutputsRule: SecurityRule = {
  id: "M2M-SEC-001",
  rationale: "Outputs reading a client secret or a secret value are sensitive: plan, apply and CI logs must not print them",
  resourceTypes: ["output"],
  check({ json }) {
    const out = new OutcomeRecorder();
    for (const [name, output] of Object.entries(json.output ?? {})) {
      const reads = secretReadsIn(output?.value);
      out.expect(`output.${name}`, reads.length === 0 || output?.sensitive === true, `reads ${reads.join(", ")} but is not sensitive`);
    }
    return out.outcome();
  },
};
