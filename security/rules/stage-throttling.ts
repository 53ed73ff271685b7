/** M2M-API-004: every stage throttles and measures all its methods. */
import { blockOf, resourcesOf } from "../terraform-json";
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { settingsApplyToStage } from "../stage-links";

function throttlingProblem(settings: Record<string, any> | undefined): string | undefined {
  if (!settings) return "has no settings block";
  const rate = settings.throttling_rate_limit;
  const burst = settings.throttling_burst_limit;
  if (typeof rate !== "number" || rate <= 0) return `throttling_rate_limit is ${JSON.stringify(rate ?? null)}, not a positive number`;
  if (typeof burst !== "number" || burst < rate) return `throttling_burst_limit is ${JSON.stringify(burst ?? null)}, not at least the rate limit ${rate}`;
  return undefined;
}

export const stageThrottlingRule: SecurityRule = {
  id: "M2M-API-004",
  rationale: "Each stage throttles every method (method_path \"*/*\") and emits metrics: one misbehaving client cannot use up the account's capacity unseen",
  resourceTypes: ["aws_api_gateway_stage", "aws_api_gateway_method_settings"],
  check({ json }) {
    const out = new OutcomeRecorder();
    const allSettings = resourcesOf(json, "aws_api_gateway_method_settings");
    for (const stage of resourcesOf(json, "aws_api_gateway_stage")) {
      const forStage = allSettings.filter((s) => settingsApplyToStage(s, stage));
      const catchAll = forStage.filter((s) => s.body.method_path === "*/*");
      if (catchAll.length === 0) {
        out.fail(stage.address, 'has no aws_api_gateway_method_settings with method_path "*/*"');
        continue;
      }
      out.checked(stage.address);
      for (const settings of catchAll) {
        const block = blockOf(settings.body.settings);
        const problem = throttlingProblem(block) ?? (block?.metrics_enabled === true ? undefined : "settings.metrics_enabled is not true");
        out.expect(settings.address, problem === undefined, problem ?? "");
      }
    }
    // Per-route overrides must throttle too: an override without limits lifts the stage's.
    for (const settings of allSettings.filter((s) => s.body.method_path !== "*/*")) {
      const problem = throttlingProblem(blockOf(settings.body.settings));
      out.expect(settings.address, problem === undefined, problem ?? "");
    }
    return out.outcome();
  },
};
