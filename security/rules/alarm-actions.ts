/** M2M-MON-002: every alarm notifies someone. */
import { referencedAddresses } from "../references";
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { findByAddress, resourcesOf } from "../terraform-json";

export const alarmActionsRule: SecurityRule = {
  id: "M2M-MON-002",
  rationale: "Every CloudWatch alarm's alarm_actions reach an SNS topic of the stack: an alarm nobody receives protects nothing",
  resourceTypes: ["aws_cloudwatch_metric_alarm", "aws_sns_topic"],
  check({ json }) {
    const out = new OutcomeRecorder();
    for (const alarm of resourcesOf(json, "aws_cloudwatch_metric_alarm")) {
      const topics = referencedAddresses(alarm.body.alarm_actions, "aws_sns_topic", ["arn", "id"]).filter((t) => findByAddress(json, t));
      out.expect(alarm.address, alarm.body.actions_enabled !== false && topics.length > 0, "has no alarm_actions to an SNS topic of this stack (or actions are disabled)");
    }
    return out.outcome();
  },
};
