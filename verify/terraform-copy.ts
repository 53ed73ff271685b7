/**
 * One working copy driven through Terraform: validate, plan (refresh off, for a new stack),
 * apply to the emulator, re-plan, and switch the configuration to another synth of the same
 * stack while keeping the state (for change transitions). Every plan is read back as JSON.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseApplyGraph, type ApplyGraph } from "./apply-graph";
import { plannedChanges, streamedDiagnostics, streamedPlanActions, type PlanJson, type PlannedAction, type PlannedChange } from "./plan-reading";
import type { ProviderWorkspace } from "./provider-workspace";
import { terraform, TerraformCommandError } from "./terraform-cli";
import { buildWorkingCopy, type BuildOptions, type CopyVariant, type ExcludedResource } from "./working-copy";

export interface PlanOutcome {
  readonly changes: PlannedChange[];
  readonly json: PlanJson;
  readonly planFile: string;
  readonly seconds: number;
}

export interface TerraformState {
  readonly resources: readonly { mode: string; type: string; name: string; instances: { attributes: Record<string, unknown> }[] }[];
}

/** What `terraform output -json` prints. */
export type TerraformOutputs = Record<string, { readonly value: unknown; readonly type: unknown; readonly sensitive: boolean }>;

export class TerraformCopy {
  private planCount = 0;
  private constructor(
    readonly dir: string,
    readonly stack: string,
    private readonly workspace: ProviderWorkspace,
    private readonly variant: CopyVariant,
    public excluded: readonly ExcludedResource[],
    public adapted: readonly ExcludedResource[],
  ) {}

  static create(stackDir: string, target: string, workspace: ProviderWorkspace, variant: CopyVariant, edit?: BuildOptions["edit"]): TerraformCopy {
    const copy = buildWorkingCopy({ stackDir, target, workspace, variant, edit });
    return new TerraformCopy(copy.dir, path.basename(stackDir), workspace, variant, copy.excluded, copy.adapted);
  }

  /** Replaces the configuration by another synth of the stack; the state stays. */
  switchTo(stackDir: string, edit?: BuildOptions["edit"]): void {
    fs.rmSync(path.join(this.dir, "main.tf.json"));
    const copy = buildWorkingCopy({ stackDir, target: this.dir, workspace: this.workspace, variant: this.variant, edit });
    this.excluded = copy.excluded;
    this.adapted = copy.adapted;
  }

  /** Empties the configuration: the next plan destroys everything in the state. */
  switchToNothing(): void {
    const json = JSON.parse(fs.readFileSync(path.join(this.dir, "main.tf.json"), "utf8"));
    fs.writeFileSync(path.join(this.dir, "main.tf.json"), JSON.stringify({ terraform: json.terraform, provider: json.provider }, null, 2));
  }

  private run(args: string[], okCodes?: number[]) {
    // Belt and braces for the emulator: any request that is not for 127.0.0.1 goes to a dead proxy.
    const env = this.variant.kind === "emulator" ? { ...this.workspace.env, HTTPS_PROXY: "http://127.0.0.1:9", HTTP_PROXY: "http://127.0.0.1:9", NO_PROXY: "127.0.0.1,localhost" } : this.workspace.env;
    return terraform(this.dir, [...args, "-no-color"], { env, okCodes });
  }

  async validate(): Promise<number> {
    return (await this.run(["validate"])).seconds;
  }

  /** `plan -out` then `show -json`. `refresh: false` for a stack that has never been applied. */
  async plan(options: { readonly refresh?: boolean; readonly destroy?: boolean } = {}): Promise<PlanOutcome> {
    const planFile = `plan-${++this.planCount}.tfplan`;
    const args = ["plan", "-input=false", `-out=${planFile}`, "-detailed-exitcode"];
    if (options.refresh === false) args.push("-refresh=false");
    if (options.destroy) args.push("-destroy");
    const planned = await this.run(args, [2]);
    const shown = await this.run(["show", "-json", planFile]);
    const json = JSON.parse(shown.stdout) as PlanJson;
    return { changes: plannedChanges(json), json, planFile, seconds: planned.seconds };
  }

  /**
   * `plan -json` (no plan file, no `show`): each managed resource's action only. `plan`
   * validates the configuration first, as `validate` would, so no separate `validate` runs.
   */
  async planActions(options: { readonly refresh?: boolean } = {}): Promise<{ readonly changes: PlannedAction[]; readonly seconds: number }> {
    const args = ["plan", "-input=false", "-json", "-detailed-exitcode"];
    if (options.refresh === false) args.push("-refresh=false");
    try {
      const planned = await this.run(args, [2]);
      return { changes: streamedPlanActions(planned.stdout), seconds: planned.seconds };
    } catch (error) {
      // With -json, Terraform's messages are JSON lines on stdout: its own words first again.
      if (error instanceof TerraformCommandError) {
        const diagnostics = streamedDiagnostics(error.result.stdout);
        if (diagnostics.length > 0) throw new Error(`${diagnostics.join("\n")}\n(terraform ${error.result.args.join(" ")} in ${this.dir} exited ${error.result.code})`);
      }
      throw error;
    }
  }

  /**
   * A re-plan that should be empty: `plan -detailed-exitcode`, and `show -json` only when it is
   * not (exit 2), for the attributes that differ. An empty plan costs one provider start, not two.
   */
  async replan(): Promise<{ readonly changes: PlannedChange[]; readonly seconds: number }> {
    const planFile = `plan-${++this.planCount}.tfplan`;
    const planned = await this.run(["plan", "-input=false", `-out=${planFile}`, "-detailed-exitcode"], [2]);
    if (planned.code === 0) return { changes: [], seconds: planned.seconds };
    const shown = await this.run(["show", "-json", planFile]);
    return { changes: plannedChanges(JSON.parse(shown.stdout) as PlanJson), seconds: planned.seconds };
  }

  async applyGraph(planFile: string): Promise<ApplyGraph> {
    return parseApplyGraph((await this.run(["graph", "-type=apply", `-plan=${planFile}`])).stdout);
  }

  /** Applies a saved plan, or plans and applies in one step. Returns seconds. */
  async apply(planFile?: string): Promise<number> {
    return (await this.run(["apply", "-input=false", ...(planFile ? [planFile] : ["-auto-approve"])])).seconds;
  }

  /** `terraform output -json`: every output of the state, `{ name: { value, type, sensitive } }`. */
  async outputs(): Promise<TerraformOutputs> {
    return JSON.parse((await this.run(["output", "-json"])).stdout) as TerraformOutputs;
  }

  /** Forgets resources without destroying them (`terraform state rm`). */
  async forget(addresses: readonly string[]): Promise<void> {
    if (addresses.length > 0) await this.run(["state", "rm", ...addresses]);
  }

  /** The local state (empty when nothing was applied). */
  state(): TerraformState {
    const file = path.join(this.dir, "terraform.tfstate");
    if (!fs.existsSync(file)) return { resources: [] };
    const state = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<TerraformState>;
    return { resources: state.resources ?? [] };
  }

  /** Managed resource instances in the local state. */
  stateResourceCount(): number {
    return this.state().resources.filter((r) => r.mode === "managed").reduce((n, r) => n + r.instances.length, 0);
  }
}
