/** M2M-MON-001: alarm topics are encrypted at rest with a key CloudWatch may use. */
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { resourcesOf } from "../terraform-json";

/** The key policy of an AWS-managed key (`alias/aws/sns`) cannot admit CloudWatch: alarms would be dropped. */
const AWS_MANAGED_KEY = /^alias\/aws\//;
const STACK_KEY = /^\$\{aws_kms_key\.[\w-]+\.(arn|id|key_id)\}$/;

export const snsEncryptionRule: SecurityRule = {
  id: "M2M-MON-001",
  rationale: "SNS topics are encrypted with a customer-managed key of the stack: alarm messages name the API, and CloudWatch cannot publish to a topic under the AWS-managed key",
  resourceTypes: ["aws_sns_topic"],
  check({ json }) {
    const out = new OutcomeRecorder();
    for (const topic of resourcesOf(json, "aws_sns_topic")) {
      const key = topic.body.kms_master_key_id;
      if (typeof key !== "string" || key.trim() === "") out.fail(topic.address, "has no kms_master_key_id (unencrypted at rest)");
      else if (AWS_MANAGED_KEY.test(key)) out.fail(topic.address, `uses the AWS-managed key ${key}: CloudWatch alarms cannot publish to it`);
      else out.expect(topic.address, STACK_KEY.test(key), `kms_master_key_id ${key} is not a key of this stack`);
    }
    return out.outcome();
  },
};
