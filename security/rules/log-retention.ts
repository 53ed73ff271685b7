/** M2M-LOG-001: every log group expires its events. */
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { resourcesOf } from "../terraform-json";

/** The values CloudWatch Logs accepts for retention_in_days (0 would mean "never expire"). */
export const CLOUDWATCH_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

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
        typeof days === "number" && CLOUDWATCH_RETENTION_DAYS.includes(days),
        days === undefined ? "has no retention_in_days (events are kept forever)" : `retention_in_days is ${JSON.stringify(days)}, not a CloudWatch retention value`,
      );
    }
    return out.outcome();
  },
};
