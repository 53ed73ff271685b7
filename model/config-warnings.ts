/**
 * Surprises that are legal but rarely meant: printed as warnings by every command that loads
 * the config (synth, report, check:security, m2m dev), never fatal.
 */
import type { M2MModel } from "./model-types";
import type { ConfigProblem } from "./problems";

export function configWarnings(model: M2MModel): ConfigProblem[] {
  // Every client exists in at least one environment (validation checks the names), so no
  // environment with a client means an empty `clients` list.
  if (model.environments.every((env) => env.clients.length === 0)) {
    return [{ path: "clients", rule: "is empty: no caller can get a token, so the API refuses every request (add a client, see README)", value: [] }];
  }
  const warnings: ConfigProblem[] = [];
  model.environments.forEach((env, i) => {
    if (env.clients.every((c) => c.disabled)) {
      warnings.push({ path: `environments[${i}]`, rule: `has no enabled client ("${env.name}" refuses every request; check the clients' environments and disabled fields)`, value: env.name });
    }
    // The stack exports no topic ARN to subscribe elsewhere: without an address nobody hears an alarm.
    if (env.alarms.enabled && env.alarms.emails.length === 0) {
      const why = env.kind === "production" ? "on by default in production" : "alarms.enabled: true";
      warnings.push({ path: `environments[${i}].alarms.emails`, rule: `is empty: "${env.name}" has alarms (${why}) but their SNS topic has no subscriber, so nobody hears one: add alarms.emails: ["oncall@example.com"], or set alarms.enabled: false`, value: [] });
    }
  });
  return warnings;
}
