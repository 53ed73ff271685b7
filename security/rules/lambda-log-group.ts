/** M2M-LOG-002: every Lambda function writes to a log group the stack manages. */
import { ownLogGroupsOf } from "../lambda-links";
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { resourcesOf } from "../terraform-json";

export const lambdaLogGroupRule: SecurityRule = {
  id: "M2M-LOG-002",
  rationale: "Each Lambda function's log group is a resource of the stack: otherwise Lambda creates one with no retention, outside Terraform",
  resourceTypes: ["aws_lambda_function", "aws_cloudwatch_log_group"],
  check({ json }) {
    const out = new OutcomeRecorder();
    for (const fn of resourcesOf(json, "aws_lambda_function")) {
      out.expect(fn.address, ownLogGroupsOf(json, fn).length > 0, `has no log group in the stack (expected /aws/lambda/${String(fn.body.function_name)} or logging_config.log_group)`);
    }
    return out.outcome();
  },
};
