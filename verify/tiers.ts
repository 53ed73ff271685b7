/**
 * The two Terraform tiers, per synthesized stack:
 *  - plan tier: working copy → validate → plan -refresh=false → show -json;
 *  - emulator tier: its own moto_server → apply → plan -detailed-exitcode (must be empty),
 *    with the exact attributes that differ when it is not.
 * Stacks run a few at a time (the machines have two cores); one provider init serves all.
 */
import * as path from "node:path";
import { EMULATOR_EXCLUSIONS } from "./emulator-exclusions";
import { startMotoServer } from "./moto-server";
import { actionCounts, formatDiffs, type PlannedChange } from "./plan-reading";
import { providerWorkspace } from "./provider-workspace";
import { TerraformCopy } from "./terraform-copy";
import type { SynthesizedStackDir } from "./verified-configs";
import type { ExcludedResource } from "./working-copy";

export interface PlanTierResult {
  readonly label: string;
  readonly toAdd: number;
  readonly changes: readonly PlannedChange[];
  readonly validateSeconds: number;
  readonly planSeconds: number;
}

export interface EmulatorTierResult {
  readonly label: string;
  /** Managed resources in the state after apply. */
  readonly applied: number;
  readonly applySeconds: number;
  readonly excluded: readonly ExcludedResource[];
  readonly adapted: readonly ExcludedResource[];
  /** The re-plan's changes (none when the re-plan is empty). */
  readonly replan: readonly PlannedChange[];
  /** `address: path: before → after` lines for the re-plan. */
  readonly replanDiffs: readonly string[];
}

export type StackOutcome<T> = { readonly label: string; readonly ok: true; readonly result: T } | { readonly label: string; readonly ok: false; readonly error: Error };

/** Runs `task` over `items`, at most `limit` at once, keeping order; never rejects. */
export async function eachLimited<I extends { label: string }, T>(items: readonly I[], limit: number, task: (item: I) => Promise<T>): Promise<StackOutcome<T>[]> {
  const outcomes: StackOutcome<T>[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      const item = items[i]!;
      try {
        outcomes[i] = { label: item.label, ok: true, result: await task(item) };
      } catch (error) {
        outcomes[i] = { label: item.label, ok: false, error: error instanceof Error ? error : new Error(String(error)) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return outcomes;
}

function copyDir(workRoot: string, label: string, tier: string): string {
  return path.join(workRoot, tier, label.replace(/\//g, "--"));
}

export async function planStack(stack: SynthesizedStackDir, workRoot: string): Promise<PlanTierResult> {
  const workspace = await providerWorkspace();
  const copy = TerraformCopy.create(stack.dir, copyDir(workRoot, stack.label, "plan"), workspace, { kind: "plan" });
  const validateSeconds = await copy.validate();
  const plan = await copy.plan({ refresh: false });
  return { label: stack.label, toAdd: actionCounts(plan.changes).create, changes: plan.changes, validateSeconds, planSeconds: plan.seconds };
}

export async function emulateStack(stack: SynthesizedStackDir, workRoot: string): Promise<EmulatorTierResult> {
  const workspace = await providerWorkspace();
  const moto = await startMotoServer();
  try {
    const copy = TerraformCopy.create(stack.dir, copyDir(workRoot, stack.label, "emulator"), workspace, { kind: "emulator", endpoint: moto.endpoint });
    const applySeconds = await copy.apply();
    const replan = await copy.plan();
    const changed = replan.changes.filter((c) => c.action !== "no-op" && c.action !== "read");
    return { label: stack.label, applied: copy.stateResourceCount(), applySeconds, excluded: copy.excluded, adapted: copy.adapted, replan: changed, replanDiffs: formatDiffs(changed) };
  } finally {
    await moto.stop();
  }
}

export function planLine(r: PlanTierResult): string {
  const counts = actionCounts(r.changes);
  const other = counts.update + counts.replace + counts.delete;
  return `${r.label}: validate ok, plan ${r.toAdd} to add${other ? `, ${other} other change(s)` : ""} (validate ${r.validateSeconds.toFixed(1)} s, plan ${r.planSeconds.toFixed(1)} s)`;
}

export function emulatorLines(r: EmulatorTierResult): string[] {
  const head = `${r.label}: applied ${r.applied} resources in ${r.applySeconds.toFixed(1)} s, re-plan: ${r.replan.length === 0 ? "no changes" : `${r.replan.length} change(s)`}`;
  return [head, ...r.excluded.map((e) => `  not applied to the emulator: ${e.address}: ${e.reason}`),
    ...r.adapted.map((e) => `  adapted for the emulator: ${e.address}: ${e.reason}`), ...r.replanDiffs.map((l) => `  ${l}`)];
}

/** The exclusion table, one line per type, for reports. */
export function exclusionTableLines(): string[] {
  return EMULATOR_EXCLUSIONS.map((e) => `${e.type}: ${e.reason}`);
}
