/** M2M-API-008: execution logs never carry full requests. */
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { blockOf, resourcesOf } from "../terraform-json";

export const methodSettingsDataTraceRule: SecurityRule = {
  id: "M2M-API-008",
  rationale: "data_trace_enabled logs full requests, bearer tokens included: never on",
  resourceTypes: ["aws_api_gateway_method_settings"],
  check({ json }) {
    const out = new OutcomeRecorder();
    for (const settings of resourcesOf(json, "aws_api_gateway_method_settings")) {
      const block = blockOf(settings.body.settings);
      out.expect(settings.address, block?.data_trace_enabled !== true, "settings.data_trace_enabled is true");
    }
    return out.outcome();
  },
};
