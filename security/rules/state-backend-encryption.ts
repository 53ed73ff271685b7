/** M2M-STA-001: remote state, which holds every client secret, is encrypted at rest. */
import { OutcomeRecorder, type SecurityRule } from "../rule";

export const stateBackendEncryptionRule: SecurityRule = {
  id: "M2M-STA-001",
  rationale: "Terraform state holds every client secret: an S3 backend sets encrypt = true (a local state file must stay on an encrypted, access-controlled disk)",
  resourceTypes: ["terraform.backend"],
  check({ json }) {
    const out = new OutcomeRecorder();
    const backends = (json.terraform?.backend ?? {}) as Record<string, Record<string, unknown>>;
    for (const [type, settings] of Object.entries(backends)) {
      const address = `terraform.backend.${type}`;
      if (type === "s3") out.expect(address, settings?.encrypt === true, "encrypt is not true: state (with client secrets) would be stored unencrypted");
      else out.checked(address);
    }
    return out.outcome();
  },
};
