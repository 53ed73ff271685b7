/** M2M-LAM-002: Lambda functions trace actively with X-Ray. */
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { blockOf, resourcesOf } from "../terraform-json";

export const lambdaTracingRule: SecurityRule = {
  id: "M2M-LAM-002",
  rationale: "Lambda functions have tracing_config mode Active, so authorizer latency and failures show in the request's X-Ray trace",
  resourceTypes: ["aws_lambda_function"],
  check({ json }) {
    const out = new OutcomeRecorder();
    for (const fn of resourcesOf(json, "aws_lambda_function")) {
      const mode = blockOf(fn.body.tracing_config)?.mode;
      out.expect(fn.address, mode === "Active", `tracing_config.mode is ${JSON.stringify(mode ?? null)}, not "Active"`);
    }
    return out.outcome();
  },
};
