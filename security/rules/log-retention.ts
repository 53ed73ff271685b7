/** M2M-LOG-001: every log group expires its events. */
import { LOG_RETENTION_DAYS } from "../../model/aws-limits";
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { resourcesOf } from "../terraform-json";


export const logRetentionRule: SecurityRule = {
  id: "M2M-LOG-001",
  rationale: "Log groups set retention_in_days to a CloudWatch value: logs hold client ids and IPs, and must not be kept (and billed) forever",
  resourceTypes: ["aws_cloudwatch_log_group"],
  check({ json }) {
    const out = new OutcomeRecorder();
    for (const group of resourcesOf(json, "aws_cloudwatch_log_group")) {
      const days = group.body.retention_in_days;
      out.expect(
        group.address,
        typeof days === "number" && (LOG_RETENTION_DAYS as readonly number[]).includes(days),
        days === undefined ? "has no retention_in_days (events are kept forever)" : `retention_in_days is ${JSON.stringify(days)}, not a CloudWatch retention value`,
      );
    }
    return out.outcome();
  },
};
