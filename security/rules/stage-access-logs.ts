/** M2M-API-005: stages of environments with access logs write JSON access logs to a managed log group. */
import { referencedAddresses } from "../references";
import { OutcomeRecorder, type SecurityRule } from "../rule";
import { blockOf, findByAddress, resourcesOf } from "../terraform-json";

/**
 * What an access log line must tell: which request, from where, which client, what, result,
 * latency. Each is a field of its own: API Gateway writes "-" for an unset variable, so two
 * variables in one field (the client id from either authorizer) would garble it.
 */
const REQUIRED_FIELDS: readonly { readonly what: string; readonly anyOf: readonly string[] }[] = [
  { what: "request id", anyOf: ["$context.requestId"] },
  { what: "source IP", anyOf: ["$context.identity.sourceIp"] },
  { what: "client id from the Cognito authorizer", anyOf: ["$context.authorizer.claims.client_id"] },
  { what: "client id from the scope checker", anyOf: ["$context.authorizer.clientId"] },
  { what: "route", anyOf: ["$context.resourcePath", "$context.routeKey"] },
  { what: "HTTP method", anyOf: ["$context.httpMethod"] },
  { what: "status", anyOf: ["$context.status"] },
  { what: "latency", anyOf: ["$context.responseLatency"] },
];

function accessLogFormatProblem(format: unknown): string | undefined {
  if (typeof format !== "string") return "access_log_settings.format is missing";
  let fields: unknown[];
  try {
    fields = Object.values(JSON.parse(format) as Record<string, unknown>);
  } catch {
    return "access_log_settings.format is not JSON";
  }
  const missing = REQUIRED_FIELDS.filter((f) => !fields.some((v) => typeof v === "string" && f.anyOf.includes(v))).map((f) => f.what);
  return missing.length > 0 ? `access_log_settings.format lacks the ${missing.join(", ")}` : undefined;
}

export const stageAccessLogsRule: SecurityRule = {
  id: "M2M-API-005",
  rationale: "Where access logs are on, each stage logs one JSON line per call (request id, source IP, client id, route, status, latency) to a log group of the stack",
  resourceTypes: ["aws_api_gateway_stage", "aws_cloudwatch_log_group"],
  check({ json, metadata }) {
    const out = new OutcomeRecorder();
    for (const stage of resourcesOf(json, "aws_api_gateway_stage")) {
      if (!metadata.accessLogsEnabled) continue; // nothing is demanded of an environment without access logs
      const settings = blockOf(stage.body.access_log_settings);
      if (!settings) {
        out.fail(stage.address, `has no access_log_settings although environment ${metadata.environmentName} enables access logs`);
        continue;
      }
      const groups = referencedAddresses(settings.destination_arn, "aws_cloudwatch_log_group", ["arn"]);
      if (groups.length !== 1 || !findByAddress(json, groups[0])) {
        out.fail(stage.address, `access_log_settings.destination_arn ${JSON.stringify(settings.destination_arn ?? null)} is not the arn of a log group of this stack`);
        continue;
      }
      const problem = accessLogFormatProblem(settings.format);
      out.expect(stage.address, problem === undefined, problem ?? "");
    }
    return out.outcome();
  },
};
