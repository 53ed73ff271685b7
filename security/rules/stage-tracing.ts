/** M2M-API-003: every stage is traced with X-Ray. */
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { resourcesOf } from "../terraform-json";

export const stageTracingRule: SecurityRule = {
  id: "M2M-API-003",
  rationale: "Stages trace requests with X-Ray, so a refused or slow call can be followed through authorizer and integration",
  resourceTypes: ["aws_api_gateway_stage"],
  check({ json }) {
    const out = new OutcomeRecorder();
    for (const stage of resourcesOf(json, "aws_api_gateway_stage")) {
      out.expect(stage.address, stage.body.xray_tracing_enabled === true, "xray_tracing_enabled is not true");
    }
    return out.outcome();
  },
};
