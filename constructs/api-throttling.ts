/**
 * Stage method settings: throttling and metrics for every method, with per-route overrides,
 * so one misbehaving client cannot exhaust the account's API Gateway capacity.
 */
import { ApiGatewayMethodSettings } from "@cdktf/provider-aws/lib/api-gateway-method-settings";
import type { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { Construct } from "constructs";
import type { Route, Throttling } from "../model/model-types";
import { named } from "./terraform-names";

export interface ApiThrottlingProps {
  readonly stage: ApiGatewayStage;
  readonly throttling: Throttling;
  readonly routes: readonly Route[];
  /** Execution logs at ERROR level need the account's CloudWatch role. */
  readonly executionLogging: boolean;
}

/** `orders/{id}/GET`: the resource path without its leading slash, then the method. */
export function methodPath(route: Route): string {
  return `${route.path.replace(/^\//, "")}/${route.method === "ANY" ? "*" : route.method}`;
}

export class ApiThrottling extends Construct {
  constructor(scope: Construct, id: string, props: ApiThrottlingProps) {
    super(scope, id);
    const settingsFor = (throttling: Throttling) => ({
      metricsEnabled: true,
      throttlingRateLimit: throttling.rateLimit,
      throttlingBurstLimit: throttling.burstLimit,
      // Full request/response logging would write tokens to CloudWatch: never.
      dataTraceEnabled: false,
      loggingLevel: props.executionLogging ? "ERROR" : "OFF",
    });
    const common = { restApiId: props.stage.restApiId, stageName: props.stage.stageName };
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
