/**
 * Change transitions through real Terraform and the emulator: config A is applied to a
 * moto_server, then each config B is planned against the state A left (`show -json` and the
 * apply graph), optionally applied, and the chain ends with a refreshed re-plan that must be
 * empty. One chain = one environment's stack, one emulator, one working copy, its state kept.
 */
import * as path from "node:path";
import type { ApplyGraph } from "./apply-graph";
import { EMULATOR_UNDELETABLE_TYPES } from "./emulator-exclusions";
import { startMotoServer, type MotoServer } from "./moto-server";
import type { PlanJson, PlannedChange } from "./plan-reading";
import { providerWorkspace } from "./provider-workspace";
import { liveRoutes } from "./served-routes";
import { TerraformCopy } from "./terraform-copy";
import { synthesizeStacks } from "./verified-configs";

export type ChangeAction = "create" | "update" | "replace" | "delete";

/** Addresses per action (sorted), for exact comparison in tests. */
export type ActionSummary = Record<ChangeAction, string[]>;

export interface TransitionPlan {
  readonly summary: ActionSummary;
  readonly changes: readonly PlannedChange[];
  readonly json: PlanJson;
  readonly graph: ApplyGraph;
  readonly planFile: string;
  readonly seconds: number;
}

export function summarize(changes: readonly PlannedChange[]): ActionSummary {
  const summary: ActionSummary = { create: [], update: [], replace: [], delete: [] };
  for (const change of changes) if (change.action in summary) summary[change.action as ChangeAction].push(change.address);
  for (const list of Object.values(summary)) list.sort();
  return summary;
}

export class TransitionChain {
  private step = 0;
  private constructor(
    private readonly root: string,
    readonly environment: string,
    private readonly moto: MotoServer,
    readonly copy: TerraformCopy,
    readonly applySeconds: number[],
  ) {}

  /** Synthesizes `config`, applies its `environment` stack to a fresh emulator. */
  static async start(root: string, environment: string, config: unknown): Promise<TransitionChain> {
    const workspace = await providerWorkspace();
    const [stack] = synthesizeStacks("A", config, path.join(root, "synth-0")).filter((s) => s.environment === environment);
    if (!stack) throw new Error(`config A has no environment ${environment}`);
    const moto = await startMotoServer();
    try {
      const copy = TerraformCopy.create(stack.dir, path.join(root, "copy"), workspace, { kind: "emulator", endpoint: moto.endpoint });
      const seconds = await copy.apply();
      return new TransitionChain(root, environment, moto, copy, [seconds]);
    } catch (error) {
      await moto.stop();
      throw error;
    }
  }

  /** Plans config B against the current state (refresh off: the state is what the last apply wrote). */
  async planTo(config: unknown): Promise<TransitionPlan> {
    const [stack] = synthesizeStacks(`B${++this.step}`, config, path.join(this.root, `synth-${this.step}`)).filter((s) => s.environment === this.environment);
    if (!stack) throw new Error(`config B has no environment ${this.environment}`);
    this.copy.switchTo(stack.dir);
    return this.planCurrent({ refresh: false });
  }

  /** The environment removed from the config: its stack is destroyed (a destroy plan of the state). */
  async planRemoval(): Promise<TransitionPlan> {
    return this.planCurrent({ refresh: false, destroy: true });
  }

  private async planCurrent(options: { refresh: boolean; destroy?: boolean }): Promise<TransitionPlan> {
    const plan = await this.copy.plan(options);
    const changes = plan.changes.filter((c) => c.action !== "no-op" && c.action !== "read");
    const graph = await this.copy.applyGraph(plan.planFile);
    return { summary: summarize(changes), changes, json: plan.json, graph, planFile: plan.planFile, seconds: plan.seconds };
  }

  async apply(plan: TransitionPlan): Promise<void> {
    this.applySeconds.push(await this.copy.apply(plan.planFile));
  }

  /**
   * Applies a removal: the destroy plan as planned, except the deletes the emulator has not
   * implemented (verify/emulator-exclusions), which are forgotten from state first (printed),
   * after which the destroy is planned again and applied.
   */
  async applyRemoval(plan: TransitionPlan): Promise<void> {
    return this.applyForgettingUndeletable(plan, { destroy: true });
  }

  /**
   * Applies a change whose plan deletes what the emulator cannot delete (a resource server whose
   * identifier moved): those are forgotten from state first (printed), the change planned again
   * and applied. The plan asserted on is the one with the deletes, as AWS would run it.
   */
  async applyChange(plan: TransitionPlan): Promise<void> {
    return this.applyForgettingUndeletable(plan, { destroy: false });
  }

  private async applyForgettingUndeletable(plan: TransitionPlan, options: { destroy: boolean }): Promise<void> {
    const undeletable = plan.changes.filter((c) => c.action === "delete" && EMULATOR_UNDELETABLE_TYPES.some((t) => t.type === c.type));
    if (undeletable.length === 0) return this.apply(plan);
    for (const change of undeletable) console.log(`emulator: ${change.address} forgotten before the apply: ${EMULATOR_UNDELETABLE_TYPES.find((t) => t.type === change.type)!.reason}`);
    await this.copy.forget(undeletable.map((c) => c.address));
    const again = await this.copy.plan({ refresh: false, ...(options.destroy ? { destroy: true } : {}) });
    this.applySeconds.push(await this.copy.apply(again.planFile));
  }

  /** A plan with refresh (reads everything back from the emulator): its changes, none expected. */
  async replan(): Promise<readonly PlannedChange[]> {
    return (await this.copy.plan()).changes.filter((c) => c.action !== "no-op" && c.action !== "read");
  }

  /** The methods the REST API holds in the emulator now. */
  async liveRoutes(): Promise<string[]> {
    const state = this.copy.state();
    const api = state.resources.find((r) => r.mode === "managed" && r.type === "aws_api_gateway_rest_api");
    if (!api) throw new Error("no aws_api_gateway_rest_api in the state");
    const region = (api.instances[0]!.attributes.arn as string).split(":")[3]!;
    return liveRoutes(this.moto.endpoint, region, api.instances[0]!.attributes.id as string);
  }

  async close(): Promise<void> {
    await this.moto.stop();
  }
}
