/**
 * Partner contracts: one API Gateway usage plan per tier (or per client with limits of its
 * own), each on the stage, with the throttle and quota it promises; one API key per client in
 * a plan, and its plan membership. API Gateway counts per key, so clients of one tier share
 * the plan but not the budget.
 *
 * The keys are metering identifiers, not credentials: the REST API's key source is AUTHORIZER,
 * so API Gateway takes the key from the scope checker's `usageIdentifierKey` and ignores any
 * `x-api-key` a caller sends. Their values are derived from the client ids (usage-key.ts) so
 * the Lambda can name them without holding a secret; no output or log carries one.
 *
 * One plan per tier for the whole stack, on every API's stage, rather than a plan per API: a
 * client has one key (its value is derived from its client id, which is one across the APIs, and
 * the scope checker of every API names the same key), a tier is a contract with a partner
 * across the platform (its quota counts the partner's calls on any API), and adding an API adds
 * a stage to the plans instead of a set of plans and keys. API Gateway counts per key across a
 * plan's stages; per-API limits would need keys per API the checker could tell apart.
 *
 * Changes: a tier's numbers change in place (usage plan update); a client moving to another
 * plan replaces its plan membership (its calls are refused for the moments between the
 * delete and the create; API Gateway lets a key be in only one plan per stage); a re-enabled
 * client (new app client id) gets a new key.
 */
import { ApiGatewayApiKey } from "@cdktn/provider-aws/lib/api-gateway-api-key";
import { ApiGatewayUsagePlan } from "@cdktn/provider-aws/lib/api-gateway-usage-plan";
import { ApiGatewayUsagePlanKey } from "@cdktn/provider-aws/lib/api-gateway-usage-plan-key";
import { Fn } from "cdktn";
import { Construct } from "constructs";
import { USAGE_KEY_PREFIX } from "../lambdas/scope-checker/usage-key";
import { describeLimits, type UsagePlan } from "../model/usage-plans";
import { named } from "./terraform-names";

export interface UsagePlansProps {
  /** `<api>-<environment>`: prefixes plan and key names. */
  readonly namePrefix: string;
  /**
   * The stages the plans meter: every API's of the stack. Stage names are references to the
   * stage resources, so a plan is attached after they exist.
   */
  readonly stages: readonly { readonly restApiId: string; readonly stageName: string }[];
  readonly plans: readonly UsagePlan[];
  /** The app client id (Terraform expression) of an enabled client. */
  readonly clientId: (client: string) => string;
}

/** Terraform's `sha256("<prefix><client id>")`: the same lowercase hex the scope checker computes. */
function usageKeyValue(clientId: string): string {
  return Fn.sha256(`${USAGE_KEY_PREFIX}${clientId}`);
}

export class UsagePlans extends Construct {
  readonly plans = new Map<string, ApiGatewayUsagePlan>();
  readonly keys = new Map<string, ApiGatewayApiKey>();

  constructor(scope: Construct, id: string, props: UsagePlansProps) {
    super(scope, id);
    for (const plan of props.plans) {
      const { limits } = plan;
      const usagePlan = named(
        new ApiGatewayUsagePlan(this, `plan-${plan.name}`, {
          name: `${props.namePrefix}-${plan.name}`,
          description: `cognito-m2m: ${describeLimits(limits)}`,
          apiStages: props.stages.map((s) => ({ apiId: s.restApiId, stage: s.stageName })),
          ...(limits ? { throttleSettings: { rateLimit: limits.rateLimit, burstLimit: limits.burstLimit } } : {}),
          ...(limits?.quota ? { quotaSettings: { limit: limits.quota.limit, period: limits.quota.period } } : {}),
        }),
        `usage_plan_${plan.name}`,
      );
      this.plans.set(plan.name, usagePlan);
      for (const client of plan.clients) {
        const key = named(
          new ApiGatewayApiKey(this, `key-${client.name}`, {
            name: `${props.namePrefix}-${client.name}`,
            description: `Metering identifier of client ${client.name} (key source AUTHORIZER: not a credential)`,
            value: usageKeyValue(props.clientId(client.name)),
            enabled: true,
          }),
          `usage_key_${client.name}`,
        );
        this.keys.set(client.name, key);
        named(
          new ApiGatewayUsagePlanKey(this, `plan-key-${client.name}`, { keyId: key.id, keyType: "API_KEY", usagePlanId: usagePlan.id }),
          `usage_plan_key_${client.name}`,
        );
      }
    }
  }
}
