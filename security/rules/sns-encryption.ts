/** M2M-MON-001: alarm topics are encrypted at rest. */
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { resourcesOf } from "../terraform-json";

export const snsEncryptionRule: SecurityRule = {
  id: "M2M-MON-001",
  rationale: "SNS topics set kms_master_key_id: alarm messages name the API, its stage and its functions",
  resourceTypes: ["aws_sns_topic"],
  check({ json }) {
    const out = new OutcomeRecorder();
    for (const topic of resourcesOf(json, "aws_sns_topic")) {
      const key = topic.body.kms_master_key_id;
      out.expect(topic.address, typeof key === "string" && key.trim() !== "", "has no kms_master_key_id (unencrypted at rest)");
    }
    return out.outcome();
  },
};
