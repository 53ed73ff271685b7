/**
 * Stage method settings: throttling and metrics for every method, with per-route overrides,
 * so one misbehaving client cannot exhaust the account's API Gateway capacity; execution logs
 * at ERROR level when the environment logs.
 */
import { ApiGatewayMethodSettings } from "@cdktn/provider-aws/lib/api-gateway-method-settings";
import type { ApiGatewayStage } from "@cdktn/provider-aws/lib/api-gateway-stage";
import type { TerraformResource } from "cdktn";
import { Construct } from "constructs";
import type { Route, Throttling } from "../model/model-types";
import { named } from "./terraform-names";

export interface ApiMethodSettingsProps {
  readonly stage: ApiGatewayStage;
  readonly throttling: Throttling;
  readonly routes: readonly Route[];
  /**
   * Execution logs at ERROR level, written to the given (managed) log group, which must exist
   * first, like the account's CloudWatch role. Absent: execution logging off.
   */
  readonly executionLogs?: { readonly prerequisites: readonly TerraformResource[] };
}

/**
 * A method's key in the stage's method settings: the resource path with every `/` written `~1`
 * (the leading one too), then the method: `GET /orders/{id}` -> `~1orders~1{id}/GET`. The
 * provider passes `method_path` to UpdateStage's patch paths (`/<method_path>/throttling/...`)
 * and looks the settings up under the same key in GetStage's `methodSettings`, both of which use
 * this escaping (terraform-provider-aws#9738); `orders/{id}/GET` would address nothing, or the
 * wrong thing. `ANY` targets the ANY method (`*` would override every method on the path).
 * Routes on `/` cannot have their own throttling (validation refuses it).
 */
export function methodPath(route: Route): string {
  return `${route.path.replace(/\//g, "~1")}/${route.method}`;
}

export class ApiMethodSettings extends Construct {
  constructor(scope: Construct, id: string, props: ApiMethodSettingsProps) {
    super(scope, id);
    const settingsFor = (throttling: Throttling) => ({
      metricsEnabled: true,
      throttlingRateLimit: throttling.rateLimit,
      throttlingBurstLimit: throttling.burstLimit,
      // Full request/response logging would write tokens to CloudWatch: never.
      dataTraceEnabled: false,
      loggingLevel: props.executionLogs ? "ERROR" : "OFF",
    });
    const prerequisites = props.executionLogs?.prerequisites ?? [];
    const common = { restApiId: props.stage.restApiId, stageName: props.stage.stageName, ...(prerequisites.length > 0 ? { dependsOn: [...prerequisites] } : {}) };
    named(new ApiGatewayMethodSettings(this, "all", { ...common, methodPath: "*/*", settings: settingsFor(props.throttling) }), "all");
    for (const route of props.routes) {
      if (!route.throttling) continue;
      named(
        new ApiGatewayMethodSettings(this, `route-${route.key}`, { ...common, methodPath: methodPath(route), settings: settingsFor(route.throttling) }),
        route.key,
      );
    }
  }
}
